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

    /// The figures come first and the notes after the first frame; a reload keeps the notes already read (a note never
    /// changes) and asks only for the ones it lacks.
    @Test func notesArriveAfterTheFiguresAndAreNotReadTwice() {
        var state = DemoData.state()
        let full = DemoData.data("changsha-2021")
        let ids = full.noteIDs
        #expect(ids.count > 2 && Set(full.notes.keys) == Set(ids))
        let shown = full.snapshot.overdue() + full.snapshot.reviewQueue
        #expect(Set(ids) == Set(shown.compactMap(\.lastReportID)) && Set(ids).count == ids.count)
        #expect(!full.snapshot.reviewQueue.isEmpty && !full.snapshot.overdue().isEmpty)
        let figuresOnly = DashboardData(snapshot: full.snapshot, plans: full.plans, today: full.today, reports: full.reports, cycle: full.cycle)
        state.data = nil
        #expect(Dashboard.update(&state, .snapshotLoaded(figuresOnly)) == [.loadNotes(ids: ids)])
        #expect(state.data?.notes.isEmpty == true)
        // All but the last arrive; reloaded (someone else saved), only the last is asked for, and nothing read is lost.
        let last = ids.last!
        _ = Dashboard.update(&state, .notesLoaded(full.notes.filter { $0.key != last }))
        #expect(Dashboard.update(&state, .snapshotLoaded(figuresOnly)) == [.loadNotes(ids: [last])])
        #expect(state.data?.notes.count == ids.count - 1)
        _ = Dashboard.update(&state, .notesLoaded([last: full.notes[last]!]))
        #expect(state.data?.notes == full.notes)
        #expect(Dashboard.update(&state, .snapshotLoaded(figuresOnly)).isEmpty)
        #expect(state.data?.notes == full.notes)
    }

    @Test func aConflictShowsWhatTheOtherClerkWroteAndTheRetryIsMadeAgainstIt() {
        var state = DemoData.state()
        // 1.1 of the first unit: still open (the demo's other rows there are signed off, and take no report).
        for key: Key in [.character("4"), .character("e")] { _ = Dashboard.update(&state, .key(key)) }
        let opened = try! #require(state.form)
        for key: Key in [.tab, .tab, .tab, .character("甲")] { _ = Dashboard.update(&state, .key(key)) }
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
        for key: Key in [.character("4"), .character("e"), .right] { _ = Dashboard.update(&state, .key(key)) }
        // 推进中 → 已完成, whose percent is 100; make it 80.
        #expect(state.form?.status == .done)
        for key: Key in [.tab, .backspace, .backspace, .backspace, .character("8"), .character("0")] { _ = Dashboard.update(&state, .key(key)) }
        let effects = Dashboard.update(&state, .key(.control("s")))
        #expect(effects.isEmpty)
        #expect(state.form?.error?.contains("100") == true)
    }

    @Test func quittingAskedOnlyWhenTheFormHasUnsavedInput() {
        var state = DemoData.state()
        #expect(Dashboard.update(&state, .key(.character("q"))) == [.quit])
        for key: Key in [.character("4"), .character("e"), .tab, .tab, .tab, .character("x")] { _ = Dashboard.update(&state, .key(key)) }
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
        // Month-ends step to month-ends; other days keep their day, within the month.
        let steps = [("2024-03-31", -1, "2024-02-29"), ("2021-09-30", 1, "2021-10-31"), ("2021-10-31", 1, "2021-11-30"),
                     ("2021-01-30", 1, "2021-02-28"), ("2021-02-28", 1, "2021-03-31"), ("2021-09-15", 1, "2021-10-15"), ("2021-12-31", 1, "2022-01-31")]
        for (from, months, to) in steps {
            #expect(CivilDate(iso: from)!.adding(months: months) == CivilDate(iso: to)!, "\(from) \(months)")
        }
    }

    /// `g` takes a typed date; a wrong one is named and nothing moves; the same keys elsewhere are not dates.
    @Test func goToATypedDate() {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .key(.character("g")))
        for ch in "2021/9/30x" { _ = Dashboard.update(&state, .key(.character(ch))) }
        #expect(state.dateEntry?.text == "2021/9/30")
        #expect(Dashboard.update(&state, .key(.enter)) == [.loadSnapshot(planID: "changsha-2021", asOfDate: "2021-09-30")])
        #expect(state.dateEntry == nil)
        _ = Dashboard.update(&state, .key(.character("g")))
        for ch in "2021-13-01" { _ = Dashboard.update(&state, .key(.character(ch))) }
        #expect(Dashboard.update(&state, .key(.enter)).isEmpty)
        #expect(state.message?.contains("不是日期") == true && state.dateEntry != nil)
        _ = Dashboard.update(&state, .key(.escape))
        #expect(state.dateEntry == nil && state.requestedAsOf == CivilDate(iso: "2021-09-30"))
    }

    /// `D` on an empty database asks first; only y fills it.
    @Test func demoDataIsAskedFor() {
        var state = DemoData.state()
        state.emptyDatabase = true
        #expect(Dashboard.update(&state, .key(.character("D"))).isEmpty && state.confirmDemo)
        #expect(Dashboard.update(&state, .key(.character("n"))).isEmpty && !state.confirmDemo && state.emptyDatabase)
        _ = Dashboard.update(&state, .key(.character("D")))
        #expect(Dashboard.update(&state, .key(.character("y"))) == [.fillDemo])
    }

    /// Recording as clerks do: a late record with an earlier 登记日期, the last note and evidence filled in, `e` from
    /// the overdue list, and the history refreshed after the save.
    @Test func theFormRecordsLateAndStartsFromTheLastNote() throws {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .key(.character("3")))
        let selected = try #require(Lists.overdue(state).first?.assignment)
        let effects = Dashboard.update(&state, .key(.character("e")))
        #expect(state.screen == .unit && state.form?.assignment == selected)
        #expect(effects == [.loadLatest(planID: "changsha-2021", nodeID: selected.nodeID, unitID: selected.unitID)])
        _ = Dashboard.update(&state, .latestLoaded(selected, note: "上次的说明", evidence: "https://example.gov.cn/a"))
        #expect(state.form?.note.text == "上次的说明" && state.form?.evidence.text == "https://example.gov.cn/a")
        #expect(state.form?.date.text == "2022-03-31")
        // To the date field: a wrong date is named; an earlier one is sent with the submission.
        for key: Key in [.tab, .tab] { _ = Dashboard.update(&state, .key(key)) }
        #expect(state.form?.focus == .date)
        for _ in 0..<10 { _ = Dashboard.update(&state, .key(.backspace)) }
        for ch in "2022-02-30" { _ = Dashboard.update(&state, .key(.character(ch))) }
        #expect(Dashboard.update(&state, .key(.control("s"))).isEmpty && state.form?.error?.contains("登记日期") == true)
        for _ in 0..<10 { _ = Dashboard.update(&state, .key(.backspace)) }
        for ch in "2022-03-15" { _ = Dashboard.update(&state, .key(.character(ch))) }
        let submitted = Dashboard.update(&state, .key(.control("s")))
        guard case let .submit(submission)? = submitted.first else { Issue.record("\(submitted)"); return }
        #expect(submission.date == "2022-03-15" && submission.note == "上次的说明")
        // A later answer for the form does not overwrite what was typed.
        state.history = HistoryData(assignment: selected, events: [])
        let after = Dashboard.update(&state, .saved(savedEventID: 9, message: "已保存 #9"))
        #expect(after.contains(.loadHistory(planID: "changsha-2021", nodeID: selected.nodeID, unitID: selected.unitID)))
    }

    @Test func aUnitIsPickedByTypingPartOfItsName() {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .key(.character("4")))
        _ = Dashboard.update(&state, .key(.character("u")))
        for ch in "浏阳" { _ = Dashboard.update(&state, .key(.character(ch))) }
        #expect(Lists.pickableUnits(state).map(\.name) == ["浏阳市"])
        _ = Dashboard.update(&state, .key(.enter))
        #expect(state.unitPicker == nil && Lists.currentUnit(state)?.name == "浏阳市")
        // Esc leaves the unit as it was; nothing typed reaches a command.
        _ = Dashboard.update(&state, .key(.character("u")))
        for ch in "qe" { _ = Dashboard.update(&state, .key(.character(ch))) }
        _ = Dashboard.update(&state, .key(.escape))
        #expect(state.unitPicker == nil && state.form == nil && Lists.currentUnit(state)?.name == "浏阳市")
    }

    /// `/` starts afresh, and the numbering as written is searched: 十五 finds （十五）.
    @Test func searchStartsAfreshAndFindsNumbering() {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .key(.character("/")))
        for ch in "十五" { _ = Dashboard.update(&state, .key(.character(ch))) }
        #expect(Lists.search(state).contains { $0.number.contains("十五") })
        _ = Dashboard.update(&state, .key(.enter))
        _ = Dashboard.update(&state, .key(.character("/")))
        #expect(state.search.query.text.isEmpty && state.search.typing)
    }

    /// `v` narrows and `s` orders the unit's list (totals stay the unit's); on 逾期, `v` shows what has gone silent.
    @Test func listsAreFilteredAndSorted() throws {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .key(.character("4")))
        let all = Lists.unitAssignments(state)
        _ = Dashboard.update(&state, .key(.character("v")))   // 未完成
        _ = Dashboard.update(&state, .key(.character("v")))   // 逾期
        #expect(state.unitFilter == .overdue)
        let overdue = Lists.unitAssignments(state)
        #expect(!overdue.isEmpty && overdue.count < all.count && overdue.allSatisfy(\.isOverdue))
        _ = Dashboard.update(&state, .key(.character("s")))   // 时限
        _ = Dashboard.update(&state, .key(.character("s")))   // 进度
        let percents = Lists.unitAssignments(state).map(\.percent)
        #expect(percents == percents.sorted())

        _ = Dashboard.update(&state, .key(.character("3")))
        _ = Dashboard.update(&state, .key(.character("v")))
        let stale = Lists.overdue(state)
        let asOf = try #require(state.data?.asOf)
        #expect(state.overdueList == .stale && stale.allSatisfy { StandingFilter.isStale($0, asOf: asOf) })
        let silence = stale.map { $0.lastUpdate?.dayNumber ?? Int.min }
        #expect(silence == silence.sorted(), "longest silent first")
        #expect(Dashboard.render(state).grid.text.contains("天以上没有进展记录"))
    }

    @Test func helpScrollsAndStopsAtItsEnds() {
        var state = DemoData.state()
        _ = Dashboard.update(&state, .key(.character("?")))
        _ = Dashboard.update(&state, .key(.up))
        #expect(state.helpOffset == 0)
        _ = Dashboard.update(&state, .key(.end))
        let last = state.helpOffset
        #expect(last > 0 && last == HelpView.lines(state).count - HelpView.visibleRows(state))
        _ = Dashboard.update(&state, .key(.pageDown))
        #expect(state.helpOffset == last && state.screen == .help)
    }

    @Test func aFinishedYearOpensAtItsLastRecordedDay() {
        let plan = DemoData.data("changsha-2021").plan
        let today = CivilDate(iso: "2026-12-03")!
        #expect(plan.naturalAsOf(today: today, lastRecorded: CivilDate(iso: "2022-01-10")!) == CivilDate(iso: "2022-01-10")!)
        #expect(plan.naturalAsOf(today: today, lastRecorded: nil) == CivilDate(iso: "2021-12-31")!)
        #expect(plan.naturalAsOf(today: CivilDate(iso: "2021-06-01")!, lastRecorded: nil) == CivilDate(iso: "2021-06-01")!)
        #expect(plan.naturalAsOf(today: CivilDate(iso: "2020-06-01")!, lastRecorded: nil) == CivilDate(iso: "2020-06-01")!)
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
