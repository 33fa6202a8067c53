/// What an account may do: admins administer, staff (each district's liaison) update their own units,
/// leaders only look. Pure: the store asks it before every write, so every front end obeys the same rules.
public enum Role: String, Sendable, CaseIterable, Comparable {
    case leader, staff, admin

    public var label: String {
        switch self {
        case .admin: "管理员"
        case .staff: "填报员"
        case .leader: "领导（只读）"
        }
    }

    public static func < (a: Role, b: Role) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// Something an account tries to do.
public enum AccessAction: Sendable, Equatable, CustomStringConvertible {
    case read
    case update(planID: String, nodeID: String, unitID: String)
    /// A unit's extension request: like an update, for the unit's own assignments.
    case requestExtension(planID: String, nodeID: String, unitID: String)
    /// The office's decisions: approving or returning a claim, deciding an extension. Admins only.
    case decide(EventKind, planID: String, nodeID: String, unitID: String)
    /// A report that reopens work the office signed off: the office's, like its decisions.
    case reopen(planID: String, nodeID: String, unitID: String)
    case demo
    case importPlan
    case editAccess
    case auditLog
    case auditVerify

    /// What was tried, for the refusal log: the verb, and for an update which assignment.
    public var description: String {
        switch self {
        case let .update(plan, node, unit), let .requestExtension(plan, node, unit), let .decide(_, plan, node, unit),
             let .reopen(plan, node, unit):
            return "\(verb) \(plan) \(node) \(unit)"
        default:
            return verb
        }
    }

    /// The action as a verb phrase, for “不能……”.
    public var verb: String {
        switch self {
        case .read: "查看进展"
        case .update: "登记进展"
        case .requestExtension: "申请延期"
        case let .decide(kind, _, _, _): kind.isOfficeDecision ? kind.label : "审核"
        case .reopen: "重新打开已办结的任务"
        case .demo: "生成演示数据"
        case .importPlan: "导入计划"
        case .editAccess: "修改访问控制"
        case .auditLog: "查看拒绝记录"
        case .auditVerify: "校验审计链"
        }
    }
}

/// The account a process runs as, and what the access file grants it. Identity always comes from the uid.
public struct Principal: Sendable, Equatable {
    public let account: String
    public let uid: Int
    /// nil: the access file does not list this account.
    public let role: Role?
    /// For staff: the unit ids they answer for.
    public let unitIDs: Set<String>
    /// The SSH client address, when the session came over SSH.
    public let sshClient: String?
    /// False in single-user mode (no access file): the account is admin of its own database.
    public let shared: Bool

    public init(account: String, uid: Int, role: Role?, unitIDs: Set<String> = [], sshClient: String? = nil, shared: Bool) {
        self.account = account
        self.uid = uid
        self.role = role
        self.unitIDs = unitIDs
        self.sshClient = sshClient
        self.shared = shared
    }

    /// No access file: whoever runs the tool administers their own database.
    public static func singleUser(account: String, uid: Int, sshClient: String? = nil) -> Principal {
        Principal(account: account, uid: uid, role: .admin, sshClient: sshClient, shared: false)
    }
}

public enum AccessDecision: Sendable, Equatable {
    case allowed
    case refused(String)
}

public enum AccessPolicy {
    public static func decide(_ principal: Principal, _ action: AccessAction) -> AccessDecision {
        guard let role = principal.role else {
            return .refused("账号“\(principal.account)”不在访问控制名单中，不能使用督办系统；请联系政务公开办管理员开通")
        }
        switch (role, action) {
        case (.admin, _), (_, .read):
            return .allowed
        case (.leader, .auditVerify):
            return .allowed
        case (.leader, _):
            return .refused("领导账号只能查看，不能\(action.verb)")
        case let (.staff, .update(_, _, unitID)), let (.staff, .requestExtension(_, _, unitID)):
            return principal.unitIDs.contains(unitID) ? .allowed
                : .refused("账号“\(principal.account)”只能登记本单位的进展、为本单位申请延期，不能为“\(unitID)”\(action.verb)")
        case (.staff, .decide):
            return .refused("审核销号和延期审批由政务公开办管理员办理，填报员不能\(action.verb)")
        case (.staff, _):
            return .refused("只有管理员可以\(action.verb)")
        }
    }
}
