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
}
