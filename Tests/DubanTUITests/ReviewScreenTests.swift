import DubanCore
@testable import DubanTUI
import SnapshotTesting
import Testing

/// The 审核 queue and the lights, as a clerk, the office and a leader see them (issue 15). The demo year as of
/// 2020-12-20: the 株洲 plan's work is being reported done and signed off.
@Suite struct ReviewScreenTests {
    static let december = CivilDate(iso: "2020-12-20")!

    static func state(readOnly: Bool = false, canDecide: Bool = true, color: Bool = true) -> AppState {
        DemoData.state("zhuzhou-2020", readOnly: readOnly, canDecide: canDecide, color: color, asOf: december)
    }

    static func press(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += Dashboard.update(&state, .key(key)) }
        return effects
    }

    /// Keys, with the effects performed as the driver would.
    static func drive(_ state: inout AppState, _ keys: [Key]) {
        for key in keys { DemoData.perform(Dashboard.update(&state, .key(key)), on: &state) }
    }

    /// 动态: the last 7 days as of 2020-12-20, and the 总表 board at the clerk's 80×24 and a wide 200×60.
    @Test func changesAndTheBoard() {
        var changes = Self.state()
        Self.drive(&changes, [.character("8"), .down])
        assertSnapshot(of: Dashboard.render(changes).grid.text, as: .lines, named: "changes-80x24")
        var month = Self.state()
        Self.drive(&month, [.character("8"), .character("v")])
        #expect(Lists.changes(month).count > Lists.changes(changes).count)
        var board = Self.state()
        Self.drive(&board, [.character("9"), .down, .down, .right, .right])
        assertSnapshot(of: Dashboard.render(board).grid.text, as: .lines, named: "board-80x24")
        var wide = DemoData.state("zhuzhou-2020", width: 200, height: 60, asOf: Self.december)
        Self.drive(&wide, [.character("9"), .end, .pageDown])
        assertSnapshot(of: Dashboard.render(wide).grid.text, as: .lines, named: "board-200x60")
        // Scrolling right past the window's edge keeps the cursor's column on screen.
        var far = Self.state()
        Self.drive(&far, [.character("9")] + Array(repeating: Key.right, count: 25))
        let text = Dashboard.render(far).grid.text
        let unit = Lists.units(far)[25]
        #expect(text.contains(BoardView.heading(unit, measure: DisplayWidth())), "\(text)")
        #expect(text.contains(unit.name))   // the footer explains the cell
    }

    @Test func theQueueAt80x24() {
        var office = Self.state()
        _ = Self.press(&office, [.character("7"), .down])
        assertSnapshot(of: Dashboard.render(office).grid.text, as: .lines, named: "office")
        var leader = Self.state(readOnly: true, canDecide: false)
        _ = Self.press(&leader, [.character("7")])
        assertSnapshot(of: Dashboard.render(leader).grid.text, as: .lines, named: "leader")
    }

    @Test func theOfficeApprovesAfterConfirmingAndReturnsWithAReason() throws {
        var state = Self.state()
        _ = Self.press(&state, [.character("7")])
        let first = try #require(Lists.review(state).first)
        #expect(Self.press(&state, [.character("a")]).isEmpty)
        #expect(state.message?.contains("办结销号") == true)
        let approve = Self.press(&state, [.character("y")])
        #expect(approve == [.decide(StepSubmission(kind: .approve, planID: "zhuzhou-2020", assignment: first.assignment, note: "",
                                                   expect: first.lastEventID))])
        // Any other key cancels.
        _ = Self.press(&state, [.character("a")])
        #expect(Self.press(&state, [.character("n")]).isEmpty && state.message == "未审核")
        // A return needs a reason; Enter with none is refused, Esc leaves.
        _ = Self.press(&state, [.character("r")])
        #expect(state.reasonEntry != nil)
        #expect(Self.press(&state, [.enter]).isEmpty && state.message?.contains("理由") == true)
        let returned = Self.press(&state, "佐证不全".map { .character($0) } + [.enter])
        #expect(returned == [.decide(StepSubmission(kind: .returnClaim, planID: "zhuzhou-2020", assignment: first.assignment, note: "佐证不全",
                                                    expect: first.lastEventID))])
        #expect(state.reasonEntry == nil)
    }

    @Test func aLeaderAndALiaisonOnlyLook() {
        var leader = Self.state(readOnly: true, canDecide: false)
        #expect(Self.press(&leader, [.character("7"), .character("a")]).isEmpty)
        #expect(leader.confirmApprove == nil && leader.message?.contains("管理员") == true)
        // A liaison sees the claims of their own units only.
        var liaison = Self.state(canDecide: false)
        let unit = Lists.review(liaison).first!.assignment.unitID
        liaison.editableUnits = [unit]
        #expect(!Lists.review(liaison).isEmpty && Lists.review(liaison).allSatisfy { $0.assignment.unitID == unit })
        #expect(Self.press(&liaison, [.character("7"), .character("r")]).isEmpty && liaison.reasonEntry == nil)
    }

    /// The light counts the board, the bulletin and `lights` print come from the totals: they must be the lights' own.
    @Test func lightCountsAreTheLightsOwn() {
        let snapshot = Self.state().data!.snapshot
        for light in WarningLight.allCases {
            #expect(snapshot.totals.count(of: light) == snapshot.standings.filter { $0.light == light }.count, "\(light)")
        }
        // The queue, worked out once per snapshot: exactly the claims awaiting sign-off, the longest waiting first.
        let queue = snapshot.reviewQueue
        let pending = snapshot.standings.filter { $0.verdict == .pendingReview }
        #expect(!queue.isEmpty && queue.count == pending.count && Set(queue.map(\.assignment)) == Set(pending.map(\.assignment)))
        #expect(zip(queue, queue.dropFirst()).allSatisfy { $0.doneOn! <= $1.doneOn! })
    }

    /// The unit screen's 灯 column: a character for each light, so a monochrome terminal says it without colour.
    @Test func lightsOnTheUnitScreenInColourAndMonochrome() {
        var colour = Self.state()
        _ = Self.press(&colour, [.character("4")])
        let text = Dashboard.render(colour).grid.text
        assertSnapshot(of: text, as: .lines, named: "unit")
        var mono = Self.state(color: false)
        _ = Self.press(&mono, [.character("4")])
        let grid = Dashboard.render(mono).grid
        #expect(grid.text == text)
        // Without colour, red is bold and underlined and yellow bold: the mark and its weight carry the meaning.
        var seen: Set<String> = []
        for y in 4..<(grid.height - 2) {
            guard let x = (0..<6).first(where: { "红黄绿灰".contains(grid[$0, y].text) && !grid[$0, y].text.isEmpty }) else { continue }
            var cell = grid[x, y]
            cell.style.reverse = false   // the selected row is shown reversed
            switch cell.text {
            case "红": #expect(cell.style.bold && cell.style.underline && cell.style.foreground == .default); seen.insert("红")
            case "黄": #expect(cell.style.bold && cell.style.background == .default); seen.insert("黄")
            case "绿": #expect(cell.style == .plain); seen.insert("绿")
            default: break
            }
        }
        #expect(seen.count >= 2, "\(seen)")
    }
}
