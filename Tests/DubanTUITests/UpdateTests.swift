import DubanCore
@testable import DubanTUI
import Testing

@Suite struct DashboardUpdate {
    @Test func aMouseClickSelectsTheRowUnderIt() {
        var state = DemoData.state()
        let rows = Lists.overview(state)
        _ = Dashboard.update(&state, .mouse(x: 10, y: Layout.listTop(.overview) + 3, button: .left))
        #expect(state.overviewSelection == rows[3].unit.id)
        _ = Dashboard.update(&state, .mouse(x: 12, y: 1, button: .left))   // the tab bar: 2 任务
        #expect(state.screen == .tasks)
    }

    @Test func aConflictShowsWhatTheOtherClerkWroteAndTheRetryIsMadeAgainstIt() {
        var state = DemoData.state()
        for key: Key in [.character("4"), .down, .character("e")] { _ = Dashboard.update(&state, .key(key)) }
        let opened = try! #require(state.form)
        for key: Key in [.tab, .tab, .character("甲")] { _ = Dashboard.update(&state, .key(key)) }
        let effects = Dashboard.update(&state, .key(.control("s")))
        guard case let .submit(first)? = effects.first else { Issue.record("no submit"); return }
        #expect(first.expect == opened.expect)
        let other = ConflictInfo(eventID: 9999, author: "lisi", recordedAt: "2022-03-31T08:00:00.000Z", status: "推进中",
                                 percent: 70, note: "乙已更新")
        _ = Dashboard.update(&state, .saveConflict(current: other))
        #expect(state.form?.conflict == other)
        #expect(state.form?.note.text == "甲")   // the clerk's input is kept
        #expect(state.form?.error?.contains("lisi") == true)
        let retry = Dashboard.update(&state, .key(.control("s")))
        guard case let .submit(second)? = retry.first else { Issue.record("no retry"); return }
        #expect(second.expect == 9999)
        _ = Dashboard.update(&state, .saved(savedEventID: 10000, message: "已保存"))
        #expect(state.form == nil)
    }

    @Test func theFormRefusesWhatTheStoreWouldRefuse() {
        var state = DemoData.state()
        for key: Key in [.character("4"), .down, .character("e"), .right, .right] { _ = Dashboard.update(&state, .key(key)) }
        // Status now 已完成 → percent set to 100; make it 80.
        for key: Key in [.tab, .backspace, .backspace, .backspace, .character("8"), .character("0")] { _ = Dashboard.update(&state, .key(key)) }
        let effects = Dashboard.update(&state, .key(.control("s")))
        if state.form?.status == .done {
            #expect(effects.isEmpty)
            #expect(state.form?.error?.contains("100") == true)
        }
    }

    @Test func quittingAskedOnlyWhenTheFormHasUnsavedInput() {
        var state = DemoData.state()
        #expect(Dashboard.update(&state, .key(.character("q"))) == [.quit])
        for key: Key in [.character("4"), .down, .character("e"), .tab, .tab, .character("x")] { _ = Dashboard.update(&state, .key(key)) }
        #expect(Dashboard.update(&state, .key(.control("q"))).isEmpty)
        #expect(state.confirmQuit)
        #expect(Dashboard.update(&state, .key(.character("y"))) == [.quit])
    }

    @Test func timeTravelStepsByMonthsAndBack() {
        var state = DemoData.state()
        let back = Dashboard.update(&state, .key(.character("[")))
        #expect(back == [.loadSnapshot(planID: "changsha-2021", asOfDate: "2022-02-28")])
        let today = Dashboard.update(&state, .key(.character("t")))
        #expect(today == [.loadSnapshot(planID: "changsha-2021", asOfDate: nil)])
        #expect(Dashboard.shiftMonth(CivilDate(iso: "2024-03-31")!, by: -1) == CivilDate(iso: "2024-02-29")!)
    }

    @Test func aReloadKeepsTheCursorOnTheSameItem() {
        var state = DemoData.state()
        for key: Key in [.character("3"), .down, .down, .down] { _ = Dashboard.update(&state, .key(key)) }
        let selected = state.overdueSelection
        _ = Dashboard.update(&state, .snapshotLoaded(DemoData.data("changsha-2021")))
        #expect(state.overdueSelection == selected)
        #expect(selected != nil)
    }
}
