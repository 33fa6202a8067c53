import Testing
@testable import DubanCore

/// States from a store are matched to the plan's assignments by their ids as bytes, in whatever order they come.
private func state(_ id: Int64) -> AssignmentState {
    AssignmentState(eventID: id, status: .inProgress, percent: Int(id), date: CivilDate(iso: "2021-09-01")!, doneOn: nil)
}

private func record(_ rows: [(String, String, Int64)], in plan: Plan) -> PlanStates {
    var states = PlanStates(plan: plan)
    for (node, unit, id) in rows {
        var (node, unit) = (node, unit)
        node.withUTF8 { n in unit.withUTF8 { states.record(nodeID: n, unitID: $0, state(id)) } }
    }
    return states
}

@Test func statesAreMatchedToTheirAssignmentsInAnyOrder() {
    let plan = tinyPlan(deadlines: ["2021-09-30", "2021-12-31"])   // 1.1 and 1.2, each for d0, d1, d2
    #expect(plan.assignments.count == 6)
    let rows: [(String, String, Int64)] = [("1.1", "d0", 1), ("1.1", "d1", 2), ("1.1", "d2", 3), ("1.2", "d0", 4), ("1.2", "d1", 5),
                                           ("1.2", "d2", 6)]
    let expected = plan.assignments.map { a in rows.first { $0.0 == a.nodeID && $0.1 == a.unitID }!.2 }
    // In the store's order, reversed, interleaved between nodes, and each unit before the one it follows.
    for order in [rows, rows.reversed(), [rows[3], rows[0], rows[4], rows[1], rows[5], rows[2]],
                  [rows[2], rows[1], rows[0], rows[5], rows[4], rows[3]]] {
        let states = record(order, in: plan)
        #expect(plan.assignments.indices.map { states[$0]?.eventID } == expected)
        for (i, assignment) in plan.assignments.enumerated() { #expect(states[assignment]?.eventID == expected[i]) }
    }
}

@Test func rowsForAssignmentsThePlanDoesNotHaveAreLeftOut() {
    let plan = tinyPlan()
    // A unit taken off the task after it reported, a node the plan file no longer has, a section, ids that share a prefix.
    let states = record([("1.1", "d9", 1), ("9.9", "d0", 2), ("1", "d0", 3), ("1.1", "d", 4), ("1.1", "d00", 5), ("1.1", "d1", 6)],
                        in: plan)
    #expect(states.values.map(\.eventID) == [6])
    #expect(states[Assignment(nodeID: "1.1", unitID: "d1")]?.eventID == 6)
    #expect(states[Assignment(nodeID: "1.1", unitID: "d9")] == nil)
    #expect(PlanStates(plan: plan, [Assignment(nodeID: "1.1", unitID: "d2"): state(7), Assignment(nodeID: "2.1", unitID: "d0"): state(8)])
        .values.map(\.eventID) == [7])
}

@Test func rankingsFromEachUnitsTotalsAreThoseCountedFromTheStandings() throws {
    let plan = tinyPlan(deadlines: ["2021-09-30", "2021-12-31"])
    func at(_ day: String) -> CivilDate { CivilDate(iso: day)! }
    var states: [Assignment: AssignmentState] = [:]
    for (i, assignment) in plan.assignments.enumerated() where i % 3 != 2 {
        let done = i % 2 == 0
        states[assignment] = AssignmentState(eventID: Int64(i + 1), status: done ? .done : .inProgress, percent: done ? 100 : 30 * i,
                                             date: at(i < 3 ? "2021-09-15" : "2021-10-20"), doneOn: done ? at(i < 3 ? "2021-09-15" : "2021-10-20") : nil)
    }
    let snapshot = PlanSnapshot(plan: plan, calendar: calendar2020and2021, asOf: at("2021-11-01"), states: states)
    let assigned = plan.registry.units.filter { unit in plan.assignments.contains { $0.unitID == unit.id } }
    #expect(snapshot.unitRanking == Ranking.rank(assigned, standings: snapshot.standings, weights: snapshot.weights))
    #expect(snapshot.districtRanking == Ranking.rank(plan.districts, standings: snapshot.standings, weights: snapshot.weights))
    #expect(Set(snapshot.districtRanking.map(\.score)).count > 1)   // the districts do not all tie
}

/// The dashboard opens a finished year at its last recorded day: the latest date among the states, nil with none.
@Test func latestDateIsTheLastDayAnyStateWasRecorded() {
    let plan = tinyPlan()
    #expect(PlanStates(plan: plan).latestDate == nil)
    func on(_ day: String) -> AssignmentState {
        AssignmentState(eventID: 1, status: .inProgress, percent: 10, date: CivilDate(iso: day)!, doneOn: nil)
    }
    let states = PlanStates(plan: plan, [Assignment(nodeID: "1.1", unitID: "d0"): on("2021-03-01"),
                                         Assignment(nodeID: "1.1", unitID: "d2"): on("2021-11-30"),
                                         Assignment(nodeID: "1.1", unitID: "d1"): on("2021-06-15")])
    #expect(states.latestDate == CivilDate(iso: "2021-11-30"))
    #expect(states.latestDate == states.values.map(\.date).max())
}
