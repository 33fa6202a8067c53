/// One of the office's steps on an assignment (审核通过, 退回, 延期审批), or a unit's extension request, as typed;
/// checked against the plan and the assignment's standing, so the command line and the dashboard refuse the same things.
public struct StepRequest: Sendable {
    public var kind: EventKind
    public var nodeID: String
    public var unit: String
    /// The reason (退回, 申请延期) or the office's remark.
    public var note: String
    public var date: CivilDate
    /// The deadline asked for (request), or another one the office grants (approval; nil: as asked).
    public var extendTo: CivilDate?

    public init(kind: EventKind, nodeID: String, unit: String, note: String = "", date: CivilDate, extendTo: CivilDate? = nil) {
        self.kind = kind
        self.nodeID = nodeID
        self.unit = unit
        self.note = note
        self.date = date
        self.extendTo = extendTo
    }

    /// The assignment the step is about, or why it cannot be taken. `standing` is the assignment's as of `date`.
    public func resolve(in plan: Plan, today: CivilDate, standing: (Assignment) -> AssignmentStanding?) -> Result<Assignment, UpdateRejection> {
        let target: (node: PlanNode, unit: Unit)
        switch UpdateRequest.assignment(nodeID: nodeID, unit: unit, in: plan) {
        case let .success(value): target = value
        case let .failure(rejection): return .failure(rejection)
        }
        let assignment = Assignment(nodeID: target.node.id, unitID: target.unit.id)
        let what = kind == .returnClaim ? "退回理由" : kind == .extensionRequest ? "延期理由" : "审核意见"
        if let rejection = UpdateRequest.checkNote(note, what: what) ?? UpdateRequest.checkDate(date, in: plan, today: today) {
            return .failure(rejection)
        }
        let here = "\(target.node.id) \(target.unit.name)"
        switch kind {
        case .update:
            return .failure(.init("登记进展请用 duban update"))
        case .approve, .returnClaim:
            guard plan.review else {
                return .failure(.init("计划 \(plan.id) 没有开启审核销号（计划文件中 review: true）：单位登记“已完成”即计为完成，无需审核"))
            }
            if kind == .returnClaim && note.trimmingSpaces.isEmpty {
                return .failure(.init("退回须写明理由（--note），单位据此整改"))
            }
            guard let s = standing(assignment), s.verdict == .pendingReview else {
                return .failure(.init("\(here) 没有待审核的“已完成”申报"))
            }
        case .extensionRequest:
            guard let to = extendTo else { return .failure(.init("请用 --to 写明申请延期到哪一天")) }
            if note.trimmingSpaces.isEmpty { return .failure(.init("申请延期须写明理由（--reason）")) }
            guard let s = standing(assignment) else { return .success(assignment) }
            if s.isDone || s.verdict == .pendingReview { return .failure(.init("\(here) 已报完成，无需延期")) }
            if s.isSuspended { return .failure(.init("\(here) 已暂缓，无需延期")) }
            if to <= s.deadline { return .failure(.init("延期后的时限 \(to) 应晚于现行时限 \(s.deadline)")) }
            if s.requestedTo != nil { return .failure(.init("\(here) 已有一项待审批的延期申请（至 \(s.requestedTo!)），请等待政务公开办审批")) }
        case .extensionApproved, .extensionRefused:
            guard let s = standing(assignment), s.requestedTo != nil else {
                return .failure(.init("\(here) 没有待审批的延期申请"))
            }
            if let to = extendTo, to <= s.originalDeadline {
                return .failure(.init("同意延期的时限 \(to) 应晚于原定时限 \(s.originalDeadline)"))
            }
        }
        return .success(assignment)
    }
}
