import DubanCore
@testable import DubanTUI
import SnapshotTesting
import Testing

/// Every screen drawn as text and compared with the golden files in __Snapshots__/. To re-record after an
/// intended change: SNAPSHOT_TESTING_RECORD=all swift test --filter ScreenTests, then read the diff.
@Suite struct ScreenTests {
    static let sizes: [(Int, Int)] = [(80, 24), (120, 40)]

    static func screen(_ keys: [Key], planID: String = "changsha-2021", width: Int, height: Int, ambiguous: Int = 1,
                       readOnly: Bool = false, history: Bool = false) -> String {
        var state = DemoData.state(planID, width: width, height: height, ambiguous: ambiguous, readOnly: readOnly)
        for key in keys { DemoData.perform(Dashboard.update(&state, .key(key)), on: &state) }
        return Dashboard.render(state).grid.text
    }

    @Test(arguments: sizes) func overview(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([.down], width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func tasksWithDetail(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([.character("2"), .down, .down], width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func tasksWithSubtasksOpened(width: Int, height: Int) {
        let keys: [Key] = [.character("p"), .character("p"), .character("2"), .down, .down, .enter, .down]
        assertSnapshot(of: Self.screen(keys, width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func overdue(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([.character("3"), .down], width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func unitFromOverview(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([.down, .down, .enter], width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func updateForm(width: Int, height: Int) {
        var keys: [Key] = [.character("4"), .character("e"), .left, .tab, .backspace, .backspace, .backspace, .character("6"), .character("0"), .tab, .tab]
        keys += "已在门户网站开设专栏ABC".map { .character($0) }
        keys += [.backspace]
        assertSnapshot(of: Self.screen(keys, width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func history(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([.character("4"), .down, .enter], width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func leaderSummary(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([], width: width, height: height, readOnly: true), as: .lines, named: "\(width)x\(height)")
    }

    /// However narrow the window, the leader's summary keeps its figures whole: each longest-overdue line ends in its
    /// days (the unit and title give way, cut with "…"), and the verdict keeps how far behind time it is.
    @Test(arguments: ["changsha-2021", "changsha-2022"], [60, 80]) func summaryKeepsItsFigures(planID: String, width: Int) {
        let lines = Self.screen([], planID: planID, width: width, height: 40, readOnly: true).split(separator: "\n").map(String.init)
        let verdict = try? #require(lines.first { $0.contains("平均进度") })
        #expect(verdict?.contains("个百分点") == true || verdict?.contains("不落后于时间") == true, "\(lines.joined(separator: "\n"))")
        // The demo's 2021 plan has overdue work on its last day; the 2022 plan, as the demo data leaves it, none.
        guard let heading = lines.firstIndex(where: { $0.contains("逾期最久的任务") }) else {
            #expect(planID != "changsha-2021", "\(lines.joined(separator: "\n"))")
            return
        }
        let rows = lines[(heading + 1)..<(lines.count - 1)].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }  // not the key line
        #expect(!rows.isEmpty)
        for line in rows { #expect(line.range(of: #"逾期\d+天\s*$"#, options: .regularExpression) != nil, "\(line)") }
    }

    @Test(arguments: sizes) func help(width: Int, height: Int) {
        assertSnapshot(of: Self.screen([.character("?")], width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    @Test(arguments: sizes) func search(width: Int, height: Int) {
        let keys: [Key] = [.character("/")] + "政府网站".map { .character($0) } + [.enter, .down]
        assertSnapshot(of: Self.screen(keys, width: width, height: height), as: .lines, named: "\(width)x\(height)")
    }

    /// Chinese-locale terminals: ambiguous characters two columns wide, ASCII borders and bars.
    @Test func ambiguousWidthTwo() {
        assertSnapshot(of: Self.screen([], width: 80, height: 24, ambiguous: 2), as: .lines, named: "overview")
        assertSnapshot(of: Self.screen([.character("2"), .down], width: 80, height: 24, ambiguous: 2), as: .lines, named: "tasks")
        assertSnapshot(of: Self.screen([], width: 80, height: 24, ambiguous: 2, readOnly: true), as: .lines, named: "summary")
    }

    /// At 80×24 the key list is longer than the window: it scrolls, and says where it is.
    @Test func helpScrollsToItsLastLine() {
        assertSnapshot(of: Self.screen([.character("?"), .end], width: 80, height: 24), as: .lines, named: "80x24-end")
    }

    /// `u`: the unit picker, narrowed by what is typed.
    @Test func theUnitPicker() {
        let keys: [Key] = [.character("4"), .character("u"), .character("区")]
        assertSnapshot(of: Self.screen(keys, width: 80, height: 24), as: .lines, named: "80x24")
    }

    @Test func staleAssignments() {
        assertSnapshot(of: Self.screen([.character("3"), .character("v")], width: 80, height: 24), as: .lines, named: "80x24")
    }

    @Test func aTypedDate() {
        let keys: [Key] = [.character("g")] + "2021-9-30".map { .character($0) }
        assertSnapshot(of: Self.screen(keys, width: 80, height: 24), as: .lines, named: "prompt")
    }

    @Test func timeTravelAMonthBack() {
        assertSnapshot(of: Self.screen([.character("["), .character("["), .character("3")], width: 80, height: 24), as: .lines, named: "80x24")
    }

    @Test func smallTerminals() {
        assertSnapshot(of: Self.screen([.character("3")], width: 40, height: 12), as: .lines, named: "40x12-overdue")
        assertSnapshot(of: Self.screen([], width: 39, height: 12), as: .lines, named: "39x12")
    }

    /// Signed-off work takes no report: a unit's clerk is told so before typing anything; the office's form opens, says
    /// that saving reopens the work, and saves it as a reopening.
    @Test func signedOffWorkIsReopenedOnlyByTheOffice() {
        var clerk = DemoData.state()
        for key: Key in [.character("4"), .down, .character("e")] { _ = Dashboard.update(&clerk, .key(key)) }
        #expect(clerk.form == nil && clerk.message?.contains("已办结销号") == true, "\(clerk.message ?? "")")
        var office = DemoData.state(canDecide: true)
        for key: Key in [.character("4"), .down, .character("e")] { _ = Dashboard.update(&office, .key(key)) }
        #expect(office.form?.reopens == true)
        #expect(Dashboard.render(office).grid.text.contains("保存即重新打开"))
        for key: Key in [.left, .tab, .backspace, .backspace, .backspace, .character("9"), .character("0")] {
            _ = Dashboard.update(&office, .key(key))
        }
        guard case let .submit(submission)? = Dashboard.update(&office, .key(.control("s"))).first else {
            Issue.record("no submit: \(office.form?.error ?? "")"); return
        }
        #expect(submission.reopens)
        var open = DemoData.state(canDecide: true)
        for key: Key in [.character("4"), .character("e")] { _ = Dashboard.update(&open, .key(key)) }
        #expect(open.form?.reopens == false)
    }

    /// A day the calendar lacks, typed at the `g` prompt, is named as such and shown while the prompt stays open.
    @Test func anImpossibleDateAtTheDatePromptIsNamed() {
        var state = DemoData.state()
        for key: Key in [.character("g")] + "2021-02-30".map({ Key.character($0) }) + [.enter] { _ = Dashboard.update(&state, .key(key)) }
        #expect(state.dateEntry != nil)
        #expect(Dashboard.render(state).grid.text.contains("2021 年 2 月只有 28 天，没有 30 日"))
        // A shorter message clears the line: nothing of what was drawn there shows after it.
        for key: Key in Array(repeating: .backspace, count: 10) + "2021-13-01".map({ Key.character($0) }) + [.enter] { _ = Dashboard.update(&state, .key(key)) }
        let lines = Dashboard.render(state).grid.text.split(separator: "\n", omittingEmptySubsequences: false)
        let info = String(lines[lines.count - 2])
        #expect(info.contains("而不是 13") && info.trimmingCharacters(in: .whitespaces).hasSuffix("而不是 13"), "\(info)")
    }

    @Test func theLeaderCannotOpenTheForm() {
        var state = DemoData.state(readOnly: true)
        for key: Key in [.character("4"), .down, .character("e")] { _ = Dashboard.update(&state, .key(key)) }
        #expect(state.form == nil)
        #expect(state.message?.contains("只读") == true)
    }

    /// A finished year's plan, looked at on its last record, is recorded as of that day unless the clerk changes it:
    /// today would carry the whole plan to today. A plan whose year runs takes today.
    @Test func aFinishedPlansFormIsDatedTheDayOnScreen() {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .snapshotLoaded(DemoData.data("changsha-2021", asOf: CivilDate(iso: "2022-02-28")!, isPlansOwnDay: true)))
        for key: Key in [.character("4"), .character("e")] { _ = Dashboard.update(&state, .key(key)) }
        #expect(state.form?.date.text == "2022-02-28" && state.form?.finishedPlan == true)
        #expect(Dashboard.render(state).grid.text.contains("计划年度已结束：日期默认为所查看的 2022-02-28"))
        var running = DemoData.state("changsha-2022")
        for key: Key in [.character("4"), .character("e")] { _ = Dashboard.update(&running, .key(key)) }
        #expect(running.form?.date.text == DemoData.day.description && running.form?.finishedPlan == false)
    }

    /// What an export says it wrote (a folder and two file names, about 100 columns) is read in full at 80 columns:
    /// it takes the line above the footer too. A short message stays on the footer alone.
    @Test func aLongMessageTakesTwoLinesRatherThanLosingItsEnd() {
        var state = DemoData.state(width: 80, height: 24)
        let message = "已导出到 /home/zhangsan/duban-exports：changsha-2021-通报-2022-02-28.docx、changsha-2021-台账-2022-02-28.xlsx"
        _ = Dashboard.update(&state, .exported(message, isError: false))
        let lines = Dashboard.render(state).grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let bottom = lines[22].trimmingCharacters(in: .whitespaces) + lines[23].trimmingCharacters(in: .whitespaces)
        #expect(bottom == message, "\(lines[22])\n\(lines[23])")
        // Broken between the names, not inside one.
        #expect(lines[23].hasPrefix("changsha-2021-台账-2022-02-28.xlsx"), "\(lines[23])")
        _ = Dashboard.update(&state, .exported("已导出到 ~/x：a.docx", isError: false))
        let short = Dashboard.render(state).grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(short[23].hasPrefix("已导出到 ~/x：a.docx") && !short[22].contains("已导出"))
    }
}

@Suite struct GridTests {
    @Test func aWideCharacterCutByTheEdgeBecomesASpace() {
        var grid = Grid(width: 7, height: 1)
        grid.put("ab长沙市", x: 0, y: 0)
        #expect(grid.text == "ab长沙 ")
        var narrow = Grid(width: 10, height: 1)
        narrow.put("长沙ABC市政", x: 0, y: 0, limit: 8)
        #expect(narrow.text == "长沙ABC   ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 6, height: 1)
        grid.put("长沙市", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.text == " x沙市")
        grid.put("y", x: 2, y: 0)
        #expect(grid.text == " xy 市")
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        var grid = Grid(width: 30, height: 1)
        grid.put("说明\u{1B}[2J\u{202E}abc", x: 0, y: 0)
        #expect(!grid.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
        #expect(grid.text.hasPrefix("说明\\u{1B}[2J"))
    }

    @Test func textFieldEditsCharactersNotBytes() {
        var field = TextField("专栏")
        _ = field.handle(.character("建"))
        _ = field.handle(.character("设"))
        _ = field.handle(.backspace)
        #expect(field.text == "专栏建")
        _ = field.handle(.left)
        _ = field.handle(.character("A"))
        #expect(field.text == "专栏A建")
        let visible = field.visible(width: 20, measure: DisplayWidth())
        #expect(visible.cursorColumn == 5)   // 专栏 = 4 columns, A = 1
    }

    @Test func textFieldScrollsToKeepTheCursorVisible() {
        let field = TextField(String(repeating: "长", count: 30))
        let visible = field.visible(width: 10, measure: DisplayWidth())
        #expect(visible.cursorColumn <= 9)
        #expect(DisplayWidth().of(visible.text) <= 10)
    }
}

/// A board column is headed by a shortening of the unit's own name, never by a former agency's alias.
@Test func boardHeadingsShortenTheUnitsOwnName() {
    let measure = DisplayWidth()
    #expect(BoardView.heading(Unit(id: "scjg", name: "市市场监管局", kind: .department, aliases: ["市市场监督管理局", "市质监局", "市质量技术监督局"], city: "长沙市"),
                              measure: measure) == "市场")
    #expect(BoardView.heading(Unit(id: "fgw", name: "市发展改革委", kind: .department, aliases: ["市发改委", "发展改革部门"], city: "长沙市"), measure: measure) == "发改")
    #expect(BoardView.heading(Unit(id: "furong", name: "芙蓉区", kind: .district, aliases: ["芙蓉区人民政府"], city: "长沙市"), measure: measure) == "芙蓉")
}
