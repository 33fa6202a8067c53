import Testing
@testable import DubanCore

/// Hand-made cases for the supervisor's figures, on a tiny plan and the 2021 National Day holiday.
private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }


private func event(_ id: Int64, _ unit: String, _ status: Status, _ percent: Int, _ date: String) -> ProgressEvent {
    ProgressEvent(id: id, planID: "tiny-2021", nodeID: "1.1", unitID: unit, status: status, percent: percent, note: "",
                  evidence: nil, author: "t", date: d(date), recordedAt: "")
}

private func standing(_ plan: Plan, asOf: String, _ events: [ProgressEvent], unit: String = "d0") -> AssignmentStanding {
    let maths = ProgressMaths(plan: plan, calendar: calendar2020and2021, asOf: d(asOf))
    return maths.standing(of: Assignment(nodeID: "1.1", unitID: unit), state: AssignmentState.fold(events, asOf: d(asOf)))
}

@Test func aDeadlineOnAHolidayIsMetByTheNextWorkingDay() {
    let plan = tinyPlan(deadline: "2021-10-01")   // 国庆节
    let done = standing(plan, asOf: "2021-10-20", [event(1, "d0", .inProgress, 50, "2021-09-01"), event(2, "d0", .done, 100, "2021-10-08")])
    #expect(done.effectiveDeadline == d("2021-10-08"))
    #expect(done.verdict == .done)
    let late = standing(plan, asOf: "2021-10-11", [event(1, "d0", .inProgress, 50, "2021-09-01")])
    #expect(late.verdict == .overdue)
    #expect(late.daysOverdue == 3)              // 10/8 → 10/11
    #expect(late.workingDaysOverdue == 2)       // 10/9 (Saturday, 调休) and 10/11
    let stillOnTime = standing(plan, asOf: "2021-10-08", [event(1, "d0", .inProgress, 50, "2021-09-01")])
    #expect(stillOnTime.verdict == .inProgress)
}

@Test func doneExactlyOnTheDeadlineIsOnTime() {
    let plan = tinyPlan(deadline: "2021-09-30")
    let s = standing(plan, asOf: "2021-12-31", [event(1, "d0", .done, 100, "2021-09-30")])
    #expect(s.verdict == .done)
    #expect(s.daysOverdue == nil)
    let lateByADay = standing(plan, asOf: "2021-12-31", [event(1, "d0", .done, 100, "2021-10-08")])
    #expect(lateByADay.verdict == .doneLate)
    #expect(lateByADay.daysOverdue == 8)
    #expect(lateByADay.workingDaysOverdue == 1)
}

@Test func anUpdateAfterTheAsOfDateIsInvisible() {
    let plan = tinyPlan(deadline: "2021-12-31")
    let events = [event(1, "d0", .inProgress, 40, "2021-08-01"), event(2, "d0", .done, 100, "2021-09-15")]
    #expect(standing(plan, asOf: "2021-09-14", events).verdict == .inProgress)
    #expect(standing(plan, asOf: "2021-09-14", events).percent == 40)
    #expect(standing(plan, asOf: "2021-09-15", events).verdict == .done)
    #expect(standing(plan, asOf: "2021-07-31", events).status == .notStarted)
}

@Test func doneLateUsesTheStartOfTheFinalDoneStretch() {
    let plan = tinyPlan(deadline: "2021-09-30")
    // Reported done in time, reopened, done again after the deadline: done late.
    let events = [event(1, "d0", .done, 100, "2021-09-01"), event(2, "d0", .inProgress, 80, "2021-09-10"),
                  event(3, "d0", .done, 100, "2021-10-12"), event(4, "d0", .done, 100, "2021-11-01")]
    let s = standing(plan, asOf: "2021-12-31", events)
    #expect(s.verdict == .doneLate)
    #expect(s.daysOverdue == 12)  // 9/30 → 10/12, not 9/30 → 11/01
}

@Test func aSuspendedItemLeavesTheDenominator() {
    let plan = tinyPlan(deadline: "2021-09-30")
    let maths = ProgressMaths(plan: plan, calendar: calendar2020and2021, asOf: d("2021-12-31"))
    let states: [Assignment: AssignmentState] = [
        Assignment(nodeID: "1.1", unitID: "d0"): .fold([event(1, "d0", .done, 100, "2021-09-01")], asOf: nil)!,
        Assignment(nodeID: "1.1", unitID: "d1"): .fold([event(2, "d1", .suspended, 20, "2021-08-01")], asOf: nil)!,
    ]
    let totals = ProgressTotals(maths.standings(states: states))
    #expect(totals.assignments == 3)
    #expect(totals.suspended == 1)
    #expect(totals.inScope == 2)
    #expect(totals.done == 1)
    #expect(totals.overdue == 1)          // d2 never reported
    #expect(totals.completionRate == 0.5)
}

@Test func laggingIsProgressBelowTimeElapsed() {
    let plan = tinyPlan(deadline: "2021-12-31")   // period 2021-07-01 … 12-31: 184 days
    let half = "2021-09-30"                        // 92 of 184 days: 50%
    #expect(standing(plan, asOf: half, [event(1, "d0", .inProgress, 40, "2021-09-01")]).lagging)
    #expect(!standing(plan, asOf: half, [event(1, "d0", .inProgress, 50, "2021-09-01")]).lagging)
    #expect(standing(plan, asOf: half, []).lagging)   // not started at half time
    #expect(ProgressMaths(plan: plan, calendar: calendar2020and2021, asOf: d(half)).timeElapsed == 0.5)
}

@Test func rankingFollowsTheScoreAndSharesTies() {
    let plan = tinyPlan(deadline: "2021-09-30")
    let maths = ProgressMaths(plan: plan, calendar: calendar2020and2021, asOf: d("2021-12-31"))
    let states: [Assignment: AssignmentState] = [
        Assignment(nodeID: "1.1", unitID: "d0"): .fold([event(1, "d0", .done, 100, "2021-09-01")], asOf: nil)!,
        Assignment(nodeID: "1.1", unitID: "d1"): .fold([event(2, "d1", .done, 100, "2021-09-02")], asOf: nil)!,
        Assignment(nodeID: "1.1", unitID: "d2"): .fold([event(3, "d2", .inProgress, 60, "2021-09-02")], asOf: nil)!,
    ]
    let ranking = Ranking.rank(plan.districts, standings: maths.standings(states: states), weights: .standard)
    #expect(ranking.map(\.rank) == [1, 1, 3])
    #expect(ranking.last?.unit.id == "d2")
    #expect(ranking.first?.score == 100)
    // 60% progress, overdue: 0 + 0 + 20 × 0.6 − 2 = 10
    #expect(ranking.last?.score == 10)
    let heavy = ScoringWeights(completion: 0, onTime: 0, progress: 100, overduePenalty: 0)
    #expect(Ranking.rank(plan.districts, standings: maths.standings(states: states), weights: heavy).last?.score == 60)
}

@Test func updateRequestsAreCheckedAgainstThePlan() {
    let plan = tinyPlan(deadline: "2021-09-30")
    let today = d("2021-10-01")
    func check(_ r: UpdateRequest) -> String? {
        if case let .failure(f) = r.resolve(in: plan, today: today, previousPercent: nil) { return f.message }
        return nil
    }
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "芙蓉区", status: "doing", percent: 50, date: today)) == nil)
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "芙蓉区", status: "done", percent: 90, date: today))?.contains("100") == true)
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "芙蓉区", status: "doing", percent: 101, date: today))?.contains("0 到 100") == true)
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "市发改委", status: "doing", date: today))?.contains("不是") == true)
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "芙蓉区", status: "完工", date: today))?.contains("未启动") == true)
    #expect(check(UpdateRequest(nodeID: "1", unit: "芙蓉区", status: "doing", date: today))?.contains("章节") == true)
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "芙蓉区", status: "doing", evidence: "file:///etc/passwd", date: today)) != nil)
    #expect(check(UpdateRequest(nodeID: "1.1", unit: "芙蓉区", status: "doing", date: d("2021-10-02"))) != nil)
    if case let .success(r) = UpdateRequest(nodeID: "1.1", unit: "芙蓉区人民政府", status: "已完成", date: today).resolve(in: plan, today: today, previousPercent: 40) {
        #expect(r.percent == 100 && r.unitID == "d0")
    } else { Issue.record("done without percent is 100") }
    if case let .success(r) = UpdateRequest(nodeID: "1.1", unit: "d0", status: "doing", date: today).resolve(in: plan, today: today, previousPercent: 40) {
        #expect(r.percent == 40)
    } else { Issue.record("percent carries forward") }
}

@Test func theDemoYearIsDeterministic() {
    let plan = tinyPlan(deadline: "2021-09-30")
    let a = DemoYear(seed: 7).updates(for: plan, today: d("2022-06-01"))
    let b = DemoYear(seed: 7).updates(for: plan, today: d("2022-06-01"))
    #expect(a == b)
    #expect(!a.isEmpty)
    #expect(a != DemoYear(seed: 8).updates(for: plan, today: d("2022-06-01")))
    #expect(a.allSatisfy { $0.date <= d("2022-06-01") && $0.percent >= 0 && $0.percent <= 100 })
    #expect(DemoYear(seed: 7).updates(for: plan, today: d("2021-06-01")).isEmpty)
}

@Test func finishingEarlyNeverPushesTheOnTimeRateAboveOne() {
    let plan = tinyPlan(deadline: "2021-12-31")
    let maths = ProgressMaths(plan: plan, calendar: calendar2020and2021, asOf: d("2021-09-30"))
    let states: [Assignment: AssignmentState] = [
        Assignment(nodeID: "1.1", unitID: "d0"): .fold([event(1, "d0", .done, 100, "2021-09-01")], asOf: nil)!,
        Assignment(nodeID: "1.1", unitID: "d1"): .fold([event(2, "d1", .done, 100, "2021-09-02")], asOf: nil)!,
    ]
    let totals = ProgressTotals(maths.standings(states: states))
    #expect(totals.due == 0)
    #expect(totals.onTimeRate == 1)
    #expect(ScoringWeights.standard.score(totals) <= 100)
}

@Test func aTextEndingInTheWordForDoesNotCrashTheScanner() {
    #expect(DeadlineParser.mentions(in: "各单位于", planYear: 2021).isEmpty)
    #expect(DeadlineParser.mentions(in: "于7月", planYear: 2021).isEmpty)
    #expect(DeadlineParser.mentions(in: "2021年", planYear: 2021).isEmpty)
    #expect(DeadlineParser.mentions(in: "年", planYear: 2021).isEmpty)
}

/// A standing is kept packed (a province's plan holds 14,280 of them on every command): each optional field comes back
/// as it went in, none as none, and the whole stays within 104 bytes.
@Test func aStandingKeepsEveryFieldPacked() {
    let day = CivilDate(year: 2021, month: 6, day: 30)!
    for (dates, numbers, ids) in [((day, day, day), (0, 0, 100), (Int64(1), Int64(1))),
                                   ((CivilDate(year: 1970, month: 1, day: 1)!, CivilDate(year: 2099, month: 12, day: 31)!, day), (3_000, 2_000, 0),
                                    (Int64.max, Int64(9_999_999_999)))] {
        let full = AssignmentStanding(
            assignment: Assignment(nodeID: "1.2", unitID: "furong"), deadline: day, originalDeadline: day, review: .claimed,
            requestedTo: dates.0, doneOn: dates.1, light: .yellow, dueSoon: true, effectiveDeadline: day, status: .done, percent: numbers.2,
            verdict: .doneLate, daysOverdue: numbers.0, workingDaysOverdue: numbers.1, lagging: true, timeElapsed: 0.5,
            lastEventID: ids.0, lastReportID: ids.1, lastUpdate: dates.2, daysSinceDue: -numbers.0)
        #expect(full.requestedTo == dates.0 && full.doneOn == dates.1 && full.lastUpdate == dates.2)
        #expect(full.daysOverdue == numbers.0 && full.workingDaysOverdue == numbers.1 && full.percent == numbers.2)
        #expect(full.lastEventID == ids.0 && full.lastReportID == ids.1 && full.daysSinceDue == -numbers.0)
    }
    let bare = AssignmentStanding(
        assignment: Assignment(nodeID: "1", unitID: "d"), deadline: day, originalDeadline: day, review: nil, requestedTo: nil, doneOn: nil,
        light: .green, dueSoon: false, effectiveDeadline: day, status: .notStarted, percent: 0, verdict: .notStarted, daysOverdue: nil,
        workingDaysOverdue: nil, lagging: false, timeElapsed: 0, lastEventID: nil, lastReportID: nil, lastUpdate: nil, daysSinceDue: 0)
    #expect(bare.requestedTo == nil && bare.doneOn == nil && bare.lastUpdate == nil && bare.daysOverdue == nil)
    #expect(bare.workingDaysOverdue == nil && bare.lastEventID == nil && bare.lastReportID == nil && bare.review == nil)
    #expect(MemoryLayout<AssignmentStanding>.stride <= 104)
    // The state read for each assignment likewise.
    let state = AssignmentState(eventID: 7, status: .done, percent: 100, date: day, doneOn: day, review: .approved,
                                closedOn: CivilDate(year: 2022, month: 1, day: 4), extendedTo: nil, requestedTo: day, reportEventID: 5)
    #expect(state.percent == 100 && state.doneOn == day && state.closedOn == CivilDate(year: 2022, month: 1, day: 4))
    #expect(state.extendedTo == nil && state.requestedTo == day && state.reportEventID == 5 && state.review == .approved)
    #expect(MemoryLayout<AssignmentState?>.stride <= 48)
}

/// The words clerks write for a status are taken for it; a word that is none of them is not guessed at.
@Test func statusesAreReadInTheClerksOwnWords() {
    for (word, status) in [("完成", Status.done), ("已办结", .done), ("进行中", .inProgress), ("在办", .inProgress), ("未开始", .notStarted),
                           ("暂停", .suspended), ("不适用", .suspended), ("已完成", .done), ("doing", .inProgress), (" 推进中 ", .inProgress)] {
        #expect(Status(input: word) == status, "\(word)")
    }
    for word in ["完工", "差不多", "", "已"] { #expect(Status(input: word) == nil, "\(word)") }
}

/// Text shown on one line: the line breaks and tabs a note may hold read as ／ and a space; anything a terminal would
/// obey (escapes, bidi controls, C1) is shown as its code; with `keepNewlines` a message keeps its lines.
@Test func textOnOneLineIsShownNotObeyed() {
    #expect(SafeText.escaped("第一行\n第二行\t制表") == "第一行／第二行 制表")
    #expect(SafeText.escaped("甲\u{1B}[31m乙\u{202E}丙\u{85}") == "甲\\u{1B}[31m乙\\u{202E}丙\\u{85}")
    #expect(SafeText.escaped("甲\n乙", keepNewlines: true) == "甲\n乙")
}
