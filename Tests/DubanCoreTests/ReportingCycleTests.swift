import Testing
@testable import DubanCore

/// Reporting cycles around month ends, holidays and 调休 (2021: National Day 10-01 to 10-07 off, Saturday 10-09 worked),
/// and what changed between two days.
private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }


private func snapshot(_ plan: Plan, asOf: String, _ events: [ProgressEvent]) -> PlanSnapshot {
    let states = Dictionary(grouping: events, by: \.assignment).compactMapValues { AssignmentState.fold($0, asOf: d(asOf)) }
    return PlanSnapshot(plan: plan, calendar: calendar2020and2021, asOf: d(asOf), states: states)
}

private func report(_ id: Int64, _ unit: String, _ status: Status, _ percent: Int, _ date: String) -> ProgressEvent {
    ProgressEvent(id: id, planID: "tiny-2021", nodeID: "1.1", unitID: unit, status: status, percent: percent, note: "",
                  evidence: nil, author: "t", date: d(date), recordedAt: "")
}

@Suite struct ReportingCycles {
    @Test func dueDaysMovePastWeekendsAndNationalDay() {
        let periods = ReportingCycle.monthly(day: 5).periods(year: 2021, from: d("2021-07-01"), calendar: calendar2020and2021)
        #expect(periods.map(\.label).prefix(3) == ["2021年7月", "2021年8月", "2021年9月"])
        #expect(periods[0].due == d("2021-08-05"))   // Thursday
        #expect(periods[1].due == d("2021-09-06"))   // the 5th is a Sunday
        #expect(periods[2].due == d("2021-10-08"))   // the 5th is in the National Day holiday
        #expect(periods.last?.end == d("2021-12-31"))
        let quarters = ReportingCycle.quarterly(day: 10).periods(year: 2021, from: d("2021-07-01"), calendar: calendar2020and2021)
        #expect(quarters.map(\.label) == ["2021年三季度", "2021年四季度"])
        #expect(quarters[0].due == d("2021-10-11"))  // Sunday the 10th
        #expect(ReportingCycle.none.periods(year: 2021, from: d("2021-07-01"), calendar: calendar2020and2021).isEmpty)
        // A plan issued mid-month reports for that month.
        #expect(ReportingCycle.monthly(day: 5).periods(year: 2021, from: d("2021-07-20"), calendar: calendar2020and2021).first?.label == "2021年7月")
    }

    @Test func theCycleIsReadFromWordsOrDigits() {
        #expect(ReportingCycle(text: "monthly 5") == .monthly(day: 5))
        #expect(ReportingCycle(text: "每月10日") == .monthly(day: 10))
        #expect(ReportingCycle(text: "quarterly 15") == .quarterly(day: 15))
        #expect(ReportingCycle(text: "none") == ReportingCycle.none)
        #expect(ReportingCycle(text: "monthly 31") == nil)   // not every month has it
        #expect(ReportingCycle(text: "weekly") == nil)
    }

    @Test func receivedLateMissingAndNotYetDue() {
        let plan = tinyPlan(review: true)
        let events = [
            report(1, "d0", .inProgress, 10, "2021-08-03"),   // July's, on time
            report(2, "d0", .inProgress, 20, "2021-10-07"),   // September's, during the holiday: before the moved due day
            report(3, "d1", .inProgress, 10, "2021-08-20"),   // July's, late (due 08-05); also August's, on time
            report(4, "d1", .inProgress, 30, "2021-10-09"),   // the 调休 Saturday: a day after September's due day
        ]
        let s = snapshot(plan, asOf: "2021-10-20", events)
        let reports = UnitReports.compute(s, cycle: .monthly(day: 5), calendar: calendar2020and2021, reportDays: [
            "d0": events.filter { $0.unitID == "d0" }.map(\.date), "d1": events.filter { $0.unitID == "d1" }.map(\.date),
        ])
        func state(_ unit: String, _ label: String) -> ReportState? { reports.first { $0.unitID == unit && $0.period.label == label }?.state }
        #expect(state("d0", "2021年7月") == .received)
        #expect(state("d0", "2021年8月") == .late)        // nothing between 08-05 and 09-06; the 10-07 report came after
        #expect(state("d0", "2021年9月") == .received)
        #expect(state("d0", "2021年10月") == .notDue)
        #expect(state("d1", "2021年7月") == .late)
        #expect(state("d1", "2021年8月") == .received)
        #expect(state("d1", "2021年9月") == .late)
        #expect(reports.first { $0.unitID == "d1" && $0.period.label == "2021年9月" }?.receivedOn == d("2021-10-09"))
        #expect(state("d2", "2021年7月") == .missing)     // never reported
        #expect(state("d2", "2021年10月") == .notDue)
    }

    @Test func aUnitWhoseWorkIsDoneOwesNoMoreReports() {
        let plan = tinyPlan(review: true)
        let events = [report(1, "d0", .done, 100, "2021-07-20"),
                      ProgressEvent(id: 2, planID: "tiny-2021", nodeID: "1.1", unitID: "d0", status: .notStarted, percent: 0, note: "",
                                    evidence: nil, author: "o", date: d("2021-07-22"), recordedAt: "", kind: .approve)]
        let s = snapshot(plan, asOf: "2021-10-20", events)
        let reports = UnitReports.compute(s, cycle: .monthly(day: 5), calendar: calendar2020and2021, reportDays: ["d0": [d("2021-07-20")]])
        #expect(reports.filter { $0.unitID == "d0" }.map(\.period.label) == ["2021年7月"])
    }

    /// A unit with several tasks owes each period in which one of them was open: until the last is done, and never for
    /// a suspended one. Units come in the registry's order, whatever order their tasks were reported in.
    @Test func aUnitOwesUntilItsLastTaskIsDoneAndNeverForASuspendedOne() {
        let plan = tinyPlan(deadlines: ["2021-09-30", "2021-12-31"])
        func event(_ id: Int64, _ node: String, _ unit: String, _ status: Status, _ date: String) -> ProgressEvent {
            ProgressEvent(id: id, planID: "tiny-2021", nodeID: node, unitID: unit, status: status, percent: status == .done ? 100 : 10,
                          note: "", evidence: nil, author: "t", date: d(date), recordedAt: "")
        }
        let events = [
            event(1, "1.2", "d2", .suspended, "2021-07-10"), event(2, "1.1", "d2", .done, "2021-07-15"),   // done in July
            event(3, "1.1", "d0", .done, "2021-07-20"), event(4, "1.2", "d0", .done, "2021-09-15"),       // the last in September
            event(5, "1.1", "d1", .suspended, "2021-07-05"), event(6, "1.2", "d1", .suspended, "2021-07-06"),  // nothing owed
        ]
        let s = snapshot(plan, asOf: "2021-10-20", events)
        let reports = UnitReports.compute(s, cycle: .monthly(day: 5), calendar: calendar2020and2021, reportDays: [:])
        #expect(reports.map(\.unitID) == ["d0", "d0", "d0", "d2"])
        #expect(reports.filter { $0.unitID == "d0" }.map(\.period.label) == ["2021年7月", "2021年8月", "2021年9月"])
        #expect(reports.filter { $0.unitID == "d2" }.map(\.period.label) == ["2021年7月"])
    }
}

@Suite struct ChangesBetweenDays {
    @Test func aHandMadeMonthOfChanges() {
        let plan = tinyPlan(review: true)
        let events = [
            report(1, "d0", .inProgress, 60, "2021-09-01"),
            report(2, "d0", .done, 100, "2021-09-20"),                    // claimed in the window
            report(3, "d1", .inProgress, 10, "2021-09-01"),                // lagging from the start
            report(4, "d2", .inProgress, 90, "2021-08-01"),
            report(5, "d2", .done, 100, "2021-08-20"),
            ProgressEvent(id: 6, planID: "tiny-2021", nodeID: "1.1", unitID: "d2", status: .notStarted, percent: 0, note: "不全",
                          evidence: nil, author: "o", date: d("2021-09-10"), recordedAt: "", kind: .returnClaim),
        ]
        let before = snapshot(plan, asOf: "2021-08-31", events)
        let after = snapshot(plan, asOf: "2021-09-30", events)
        let changes = PlanChanges.between(before, after, reports: [])
        func kinds(_ unit: String) -> Set<PlanChange.Kind> { Set(changes.filter { $0.unitID == unit }.map(\.kind)) }
        #expect(kinds("d0").contains(.claimed))
        #expect(kinds("d2").contains(.returned))
        #expect(!kinds("d0").contains(.done))   // a claim is not done until signed off
        #expect(changes.allSatisfy { $0.kind != .light || $0.before != $0.after })
        // Each change is counted once: a light that turned with it (green with the claim) is not listed beside it.
        #expect(!(kinds("d0").contains(.claimed) && changes.contains { $0.unitID == "d0" && $0.kind == .light && $0.after == "green" }))
        let overdue = PlanChanges.between(snapshot(plan, asOf: "2021-08-31", events), snapshot(plan, asOf: "2022-01-05", events), reports: [])
        for change in overdue where change.kind == .overdue {
            #expect(!overdue.contains { $0.assignment == change.assignment && $0.kind == .light && $0.after == "red" }, "\(change)")
        }
        #expect(overdue.contains { $0.kind == .overdue })
    }
}
