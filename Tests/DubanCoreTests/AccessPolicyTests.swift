import DubanCore
import Testing

@Suite struct AccessPolicyRules {
    func who(_ role: Role?, _ units: Set<String> = []) -> Principal {
        Principal(account: "a", uid: 1, role: role, unitIDs: units, shared: true)
    }
    let update = AccessAction.update(planID: "p", nodeID: "1.1", unitID: "furong")

    @Test func eachRoleMayDoWhatItsJobNeeds() {
        #expect(AccessPolicy.decide(who(.admin), .editAccess) == .allowed)
        #expect(AccessPolicy.decide(who(.staff, ["furong"]), update) == .allowed)
        #expect(AccessPolicy.decide(who(.staff, ["tianxin"]), update) != .allowed)
        for action in [update, .demo, .importPlan, .editAccess, .auditLog] {
            #expect(AccessPolicy.decide(who(.leader), action) != .allowed, "\(action)")
            if action != update { #expect(AccessPolicy.decide(who(.staff, ["furong"]), action) != .allowed, "\(action)") }
        }
        #expect(AccessPolicy.decide(who(.leader), .read) == .allowed)
        #expect(AccessPolicy.decide(who(nil), .read) != .allowed)
        #expect(AccessPolicy.decide(.singleUser(account: "me", uid: 1000), .demo) == .allowed)
    }

    /// Reopening signed-off work is the office's: not a unit's, even for its own assignment.
    @Test func onlyTheOfficeReopensSignedOffWork() {
        let reopen = AccessAction.reopen(planID: "p", nodeID: "1.1", unitID: "furong")
        #expect(AccessPolicy.decide(who(.admin), reopen) == .allowed)
        #expect(AccessPolicy.decide(who(.staff, ["furong"]), reopen) == .refused("只有管理员可以重新打开已办结的任务"))
        #expect(AccessPolicy.decide(who(.leader), reopen) != .allowed)
        var update = NewUpdate(planID: "p", nodeID: "1.1", unitID: "furong", status: .inProgress, percent: 50,
                               date: CivilDate(iso: "2021-09-01")!, author: "a", uid: 1)
        #expect(update.accessAction == .update(planID: "p", nodeID: "1.1", unitID: "furong"))
        update.reopens = true
        #expect(update.accessAction == reopen)
    }
}
