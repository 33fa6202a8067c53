import Testing
@testable import DubanCore

/// The light rule and the office's steps (审核销号, 延期) on hand-made cases, around the 2021 National Day holiday
/// (10-01 to 10-07 off, 10-09 a Saturday worked in exchange).
private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

private func plan(deadline: String, review: Bool = true) -> Plan { tinyPlan(deadline: deadline, review: review) }

// Ids only order events of one day; every case here dates its events apart.
nonisolated(unsafe) private var nextID: Int64 = 0

private func report(_ status: Status, _ percent: Int, _ date: String) -> ProgressEvent {
    nextID += 1
    return ProgressEvent(id: nextID, planID: "tiny-2021", nodeID: "1.1", unitID: "d0", status: status, percent: percent, note: "",
                         evidence: nil, author: "t", date: d(date), recordedAt: "")
}

private func step(_ kind: EventKind, _ date: String, to: String? = nil) -> ProgressEvent {
    nextID += 1
    return ProgressEvent(id: nextID, planID: "tiny-2021", nodeID: "1.1", unitID: "d0", status: .notStarted, percent: 0, note: "理由",
                         evidence: nil, author: "office", date: d(date), recordedAt: "", kind: kind, extendTo: to.map(d))
}

private func standing(_ plan: Plan, asOf: String, _ events: [ProgressEvent], lights: LightRules = .standard) -> AssignmentStanding {
    let maths = ProgressMaths(plan: plan, calendar: calendar2020and2021, asOf: d(asOf), lights: lights)
    return maths.standing(of: Assignment(nodeID: "1.1", unitID: "d0"), state: AssignmentState.fold(events, asOf: d(asOf)))
}

@Suite struct Lights {
    @Test func dueWithinThreeWorkingDaysAcrossNationalDayIsYellow() {
        // Due Saturday 10-09 (worked): from Thursday 09-30 only 10-08 and 10-09 remain — ten calendar days, two working.
        let p = plan(deadline: "2021-10-09")
        let nearlyDone = [report(.inProgress, 95, "2021-09-20")]
        let thursday = standing(p, asOf: "2021-09-30", nearlyDone)
        #expect(thursday.dueSoon)
        #expect(thursday.light == .yellow)
        // On Wednesday 09-29 three working days remain (09-30, 10-08, 10-09): not yet.
        let wednesday = standing(p, asOf: "2021-09-29", nearlyDone)
        #expect(!wednesday.dueSoon)
        #expect(wednesday.light == .green)
        // During the holiday itself it stays yellow, and on the deadline day too.
        #expect(standing(p, asOf: "2021-10-05", nearlyDone).light == .yellow)
        #expect(standing(p, asOf: "2021-10-09", nearlyDone).light == .yellow)
        // The next working day it is overdue: red.
        #expect(standing(p, asOf: "2021-10-11", nearlyDone).light == .red)
    }

    @Test func aDeadlineOnAHolidayCountsFromTheDayItIsMet() {
        // Due 10-01 (holiday), met by Friday 10-08: on 09-30 one working day remains.
        let p = plan(deadline: "2021-10-01")
        let s = standing(p, asOf: "2021-09-30", [report(.inProgress, 95, "2021-09-20")])
        #expect(s.effectiveDeadline == d("2021-10-08"))
        #expect(s.dueSoon)
    }

    @Test func theWindowAndTheMarginComeFromTheSettings() {
        let p = plan(deadline: "2021-10-09")
        let events = [report(.inProgress, 95, "2021-09-20")]
        #expect(standing(p, asOf: "2021-09-29", events, lights: LightRules(dueSoonWorkingDays: 5)).light == .yellow)
        #expect(standing(p, asOf: "2021-09-30", events, lights: LightRules(dueSoonWorkingDays: 0)).light == .green)
        // Half the period gone at 40%: lagging by any shortfall, not within a 15-point margin.
        let q = plan(deadline: "2021-12-31")
        let behind = [report(.inProgress, 40, "2021-09-01")]
        #expect(standing(q, asOf: "2021-10-01", behind).light == .yellow)
        #expect(standing(q, asOf: "2021-10-01", behind).lagging)
        #expect(standing(q, asOf: "2021-10-01", behind, lights: LightRules(lagMargin: 15)).light == .green)
    }

    @Test func doneSuspendedAndClaimedHaveTheirOwnLights() {
        let p = plan(deadline: "2021-10-09")
        #expect(standing(p, asOf: "2021-09-30", [report(.suspended, 10, "2021-09-01")]).light == .grey)
        #expect(standing(p, asOf: "2021-09-30", [report(.done, 100, "2021-09-01"), step(.approve, "2021-09-03")]).light == .green)
        // Claimed and waiting for the office: not counted done, not the unit's delay either.
        let claimed = standing(p, asOf: "2021-10-20", [report(.done, 100, "2021-09-01")])
        #expect(claimed.verdict == .pendingReview)
        #expect(claimed.light == .green)
        #expect(!claimed.isDone)
    }
}

@Suite struct OfficeSteps {
    @Test func aClaimCountsOnceApprovedAndLatenessIsTheClaims() {
        let p = plan(deadline: "2021-10-09")
        let claim = report(.done, 100, "2021-10-08")
        let approval = step(.approve, "2021-10-20")
        // Approved after the deadline, claimed before it: on time, and done only from the approval's day.
        #expect(standing(p, asOf: "2021-10-15", [claim]).verdict == .pendingReview)
        let after = standing(p, asOf: "2021-10-21", [claim, approval])
        #expect(after.verdict == .done)
        #expect(AssignmentState.fold([claim, approval], asOf: nil)?.closedOn == d("2021-10-20"))
        // Without review the unit's word is enough.
        #expect(standing(plan(deadline: "2021-10-09", review: false), asOf: "2021-10-15", [claim]).verdict == .done)
    }

    @Test func aReturnGoesBackToTheProgressBeforeTheClaim() {
        let p = plan(deadline: "2021-10-09")
        let events = [report(.inProgress, 60, "2021-09-01"), report(.done, 100, "2021-09-20"), step(.returnClaim, "2021-09-25")]
        let returned = standing(p, asOf: "2021-09-26", events)
        #expect(returned.status == .inProgress)
        #expect(returned.percent == 60)
        #expect(returned.isReturned)
        // The unit claims again after the deadline; approved, it is done late, measured from the second claim.
        let again = events + [report(.done, 100, "2021-10-12"), step(.approve, "2021-10-13")]
        let final = standing(p, asOf: "2021-10-14", again)
        #expect(final.verdict == .doneLate)
        #expect(final.doneOn == d("2021-10-12"))
        #expect(!final.isReturned)
    }

    @Test func stepsThatDoNotFitTheStateAreRefused() {
        let submitted = NewUpdate.step(.approve, planID: "p", nodeID: "1.1", unitID: "d0", note: "", date: d("2021-09-01"), author: "a", uid: 0)
        #expect(throws: CarriedState.TransitionError.noClaim) { try CarriedState.next(after: nil, applying: submitted, eventID: 1) }
        let inProgress = CarriedState(status: .inProgress, percent: 50)
        #expect(throws: CarriedState.TransitionError.noClaim) { try CarriedState.next(after: inProgress, applying: submitted, eventID: 2) }
        let decide = NewUpdate.step(.extensionApproved, planID: "p", nodeID: "1.1", unitID: "d0", note: "", date: d("2021-09-01"), author: "a", uid: 0)
        #expect(throws: CarriedState.TransitionError.noRequest) { try CarriedState.next(after: inProgress, applying: decide, eventID: 3) }
    }

    @Test func anApprovedExtensionMovesTheDeadlineAndKeepsTheOriginal() {
        let p = plan(deadline: "2021-10-09")
        let events = [report(.inProgress, 60, "2021-09-01"), step(.extensionRequest, "2021-09-28", to: "2021-11-30")]
        let asked = standing(p, asOf: "2021-10-12", events)
        #expect(asked.requestedTo == d("2021-11-30"))
        #expect(asked.verdict == .overdue)   // asking is not granting
        let granted = standing(p, asOf: "2021-10-12", events + [step(.extensionApproved, "2021-09-30")])
        #expect(granted.deadline == d("2021-11-30"))
        #expect(granted.originalDeadline == d("2021-10-09"))
        #expect(granted.isExtended)
        #expect(granted.verdict == .inProgress)
        #expect(granted.requestedTo == nil)
        let refused = standing(p, asOf: "2021-10-12", events + [step(.extensionRefused, "2021-09-30")])
        #expect(refused.deadline == d("2021-10-09"))
        #expect(refused.requestedTo == nil)
        #expect(refused.verdict == .overdue)
        // The office may grant a date other than the one asked for.
        let shorter = standing(p, asOf: "2021-10-12", events + [step(.extensionApproved, "2021-09-30", to: "2021-10-31")])
        #expect(shorter.deadline == d("2021-10-31"))
    }

    @Test func stepRequestsAreCheckedAgainstThePlanAndTheStanding() {
        let p = plan(deadline: "2021-10-09")
        let today = d("2021-10-12")
        let open = standing(p, asOf: "2021-10-12", [report(.inProgress, 60, "2021-09-01")])
        func check(_ r: StepRequest, _ s: AssignmentStanding) -> String? {
            if case let .failure(rejection) = r.resolve(in: p, today: today, standing: { _ in s }) { return rejection.message }
            return nil
        }
        #expect(check(StepRequest(kind: .approve, nodeID: "1.1", unit: "d0", date: today), open)?.contains("没有待审核") == true)
        let claimed = standing(p, asOf: "2021-10-12", [report(.done, 100, "2021-10-01")])
        #expect(check(StepRequest(kind: .approve, nodeID: "1.1", unit: "d0", date: today), claimed) == nil)
        #expect(check(StepRequest(kind: .returnClaim, nodeID: "1.1", unit: "d0", date: today), claimed)?.contains("理由") == true)
        #expect(check(StepRequest(kind: .extensionRequest, nodeID: "1.1", unit: "d0", note: "等待平台", date: today, extendTo: d("2021-10-01")), open)?
            .contains("应晚于现行时限") == true)
        #expect(check(StepRequest(kind: .extensionRequest, nodeID: "1.1", unit: "d0", note: "等待平台", date: today, extendTo: d("2021-11-30")), open) == nil)
        let noReview = plan(deadline: "2021-10-09", review: false)
        if case let .failure(rejection) = StepRequest(kind: .approve, nodeID: "1.1", unit: "d0", date: today).resolve(in: noReview, today: today, standing: { _ in claimed }) {
            #expect(rejection.message.contains("没有开启审核销号"))
        } else {
            Issue.record("a plan without review cannot take approvals")
        }
    }
}

/// The overdue list runs oldest first. An extension granted to a node's first assignment moves that assignment alone:
/// the node's other overdue assignments keep their place by the node's own deadline, before a later node's; an
/// extended assignment itself overdue sits at its new date. Each unit's list is its part of the whole, in that order.
@Test func anExtensionDoesNotCarryItsNodeDownTheOverdueList() {
    let plan = tinyPlan(deadlines: ["2021-08-31", "2021-09-30"])
    let first = plan.assignments[0]
    #expect(first.nodeID == "1.1")
    func snapshot(extendedTo: String) -> PlanSnapshot {
        let states = [first: AssignmentState(eventID: 1, status: .inProgress, percent: 40, date: d("2021-08-20"), doneOn: nil,
                                             extendedTo: d(extendedTo))]
        return PlanSnapshot(plan: plan, calendar: calendar2020and2021, asOf: d("2021-10-20"), states: states)
    }

    let notYetDue = snapshot(extendedTo: "2021-12-31").overdue()
    #expect(notYetDue.map(\.assignment.nodeID) == ["1.1", "1.1", "1.2", "1.2", "1.2"])
    #expect(!notYetDue.contains { $0.assignment == first })

    let extended = snapshot(extendedTo: "2021-09-15")
    let overdue = extended.overdue()
    #expect(overdue.map(\.assignment.nodeID) == ["1.1", "1.1", "1.1", "1.2", "1.2", "1.2"])
    #expect(overdue[2].assignment == first)
    for list in [notYetDue, overdue] {
        #expect(list.map(\.effectiveDeadline) == list.map(\.effectiveDeadline).sorted())
    }
    for unit in ["d0", "d1", "d2"] {
        #expect(extended.overdue(unitID: unit).map(\.assignment) == overdue.filter { $0.assignment.unitID == unit }.map(\.assignment))
        #expect(!extended.overdue(unitID: unit).isEmpty)
    }
}
