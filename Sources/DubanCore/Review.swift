/// What an event is: a unit's progress report, or one of the supervising office's steps on it (审核销号, 延期).
/// Every kind is an appended event in the same log; each carries the assignment's whole state after it.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    /// A unit reports progress (with review on, 已完成 is a claim awaiting the office's sign-off).
    case update
    /// The office signs off a claim: 已办结, 销号 on the approval's date.
    case approve
    /// The office returns a claim with its reason: back to 推进中 at the progress reported before the claim.
    case returnClaim = "return"
    /// A unit asks for a later deadline, with its reason.
    case extensionRequest = "extension_request"
    case extensionApproved = "extension_approve"
    case extensionRefused = "extension_refuse"

    /// Only the supervising office may take these steps.
    public var isOfficeDecision: Bool {
        switch self {
        case .approve, .returnClaim, .extensionApproved, .extensionRefused: true
        case .update, .extensionRequest: false
        }
    }

    /// Four characters at most: the history's 状态 column for an office step.
    public var shortLabel: String {
        switch self {
        case .update: "登记"
        case .approve: "已办结"
        case .returnClaim: "退回"
        case .extensionRequest: "申请延期"
        case .extensionApproved: "同意延期"
        case .extensionRefused: "不准延期"
        }
    }

    /// The unit itself speaking (a progress report, a request for time): what a reporting cycle counts as a report.
    public var isUnitReport: Bool { self == .update || self == .extensionRequest }

    public var label: String {
        switch self {
        case .update: "登记进展"
        case .approve: "审核通过（销号）"
        case .returnClaim: "退回"
        case .extensionRequest: "申请延期"
        case .extensionApproved: "同意延期"
        case .extensionRefused: "不同意延期"
        }
    }
}

/// Where a unit's 已完成 stands with the office.
public enum ReviewState: String, Sendable, CaseIterable, Codable {
    case claimed = "待审核"
    case approved = "已办结"
    case returned = "退回"

    public var asciiName: String {
        switch self {
        case .claimed: "claimed"
        case .approved: "approved"
        case .returned: "returned"
        }
    }
}

/// The state an event leaves an assignment in: each event carries it whole, so the state as of any day is that
/// day's latest event, whichever kind it is. `next` is the one rule for how each kind changes it; every store uses it.
public struct CarriedState: Sendable, Equatable {
    public var status: Status
    public var percent: Int
    /// For 已完成: the day the final stretch of 已完成 began (the claim's date: done-late is measured from it).
    public var doneSince: CivilDate?
    public var review: ReviewState?
    /// The approval's date (销号日期).
    public var closedOn: CivilDate?
    /// The deadline an approved extension set; the plan's own deadline stays the original.
    public var extendedTo: CivilDate?
    /// A request not yet decided, and the event that made it.
    public var requestedTo: CivilDate?
    public var requestID: Int64?
    /// The claim awaiting review, and the progress reported before it (what a return goes back to).
    public var claimID: Int64?
    public var percentBeforeClaim: Int?
    /// The unit's latest report (an `update` event): its note and evidence are what ledgers and lists show, whatever
    /// office step came after it.
    public var reportID: Int64?

    public init(status: Status = .notStarted, percent: Int = 0, doneSince: CivilDate? = nil, review: ReviewState? = nil,
                closedOn: CivilDate? = nil, extendedTo: CivilDate? = nil, requestedTo: CivilDate? = nil, requestID: Int64? = nil,
                claimID: Int64? = nil, percentBeforeClaim: Int? = nil, reportID: Int64? = nil) {
        self.reportID = reportID
        self.status = status
        self.percent = percent
        self.doneSince = doneSince
        self.review = review
        self.closedOn = closedOn
        self.extendedTo = extendedTo
        self.requestedTo = requestedTo
        self.requestID = requestID
        self.claimID = claimID
        self.percentBeforeClaim = percentBeforeClaim
    }

    public enum TransitionError: Error, Equatable, CustomStringConvertible {
        case noClaim
        case noRequest
        case extensionNotLater(deadline: CivilDate)
        case closed

        public var description: String {
            switch self {
            case .noClaim: "该任务没有待审核的“已完成”申报，无需审核"
            case .noRequest: "该任务没有待审批的延期申请"
            case let .extensionNotLater(deadline): "延期后的时限应晚于现行时限 \(deadline)"
            case .closed: "该任务已办结销号，不能再申请延期"
            }
        }
    }

    /// Why a report may not be written on this state, or nil. Signed off (销号), the work is closed: a unit's report would
    /// take the office's decision back without a word (a 推进中 made it overdue again, a 已完成 a new claim to review), so
    /// only the office reopens it, and says so (`reopens`). (The rule of new reports only: what is recorded stands.)
    public func closedReason(for update: NewUpdate) -> String? {
        guard update.kind == .update, !update.reopens, review == .approved else { return nil }
        return "该任务已于 \(closedOn?.description ?? "此前") 办结销号，不能再登记进展；如确需重新办理，请由督办室重新打开（duban update … --reopen）"
    }

    /// The state after `update` (of id `eventID`), given the state before it (nil: no event yet) and the deadline in
    /// force. Throws when the step makes no sense now: approving with no claim pending, deciding no request.
    public static func next(after previous: CarriedState?, applying update: NewUpdate, eventID: Int64,
                            deadline: CivilDate? = nil) throws -> CarriedState {
        var state = previous ?? CarriedState()
        switch update.kind {
        case .update:
            state.reportID = eventID
            let wasDone = state.status == .done
            state.status = update.status
            state.percent = update.percent
            if update.status == .done {
                if !wasDone || state.doneSince == nil { state.doneSince = update.date }
                // Every report of 已完成 is a claim the office reviews, even after a sign-off: the record changed.
                if state.review != .claimed { state.percentBeforeClaim = wasDone ? state.percentBeforeClaim : previous?.percent ?? 0 }
                state.review = .claimed
                state.claimID = eventID
                state.closedOn = nil
            } else {
                state.doneSince = nil
                state.review = nil
                state.claimID = nil
                state.closedOn = nil
                state.percentBeforeClaim = nil
            }
        case .approve:
            // A 已完成 recorded before review existed has no review mark: it is a claim like any other.
            guard state.status == .done, state.review != .approved else { throw TransitionError.noClaim }
            state.review = .approved
            state.closedOn = update.date
        case .returnClaim:
            guard state.status == .done, state.review != .approved else { throw TransitionError.noClaim }
            state.review = .returned
            state.status = .inProgress
            state.percent = min(state.percentBeforeClaim ?? 0, 99)
            state.doneSince = nil
            state.claimID = nil
            state.percentBeforeClaim = nil
        case .extensionRequest:
            guard let to = update.extendTo else { throw TransitionError.noRequest }
            if state.review == .approved { throw TransitionError.closed }
            if let deadline, to <= (state.extendedTo ?? deadline) { throw TransitionError.extensionNotLater(deadline: state.extendedTo ?? deadline) }
            state.requestedTo = to
            state.requestID = eventID
        case .extensionApproved, .extensionRefused:
            guard let requested = state.requestedTo else { throw TransitionError.noRequest }
            if update.kind == .extensionApproved { state.extendedTo = update.extendTo ?? requested }
            state.requestedTo = nil
            state.requestID = nil
        }
        return state
    }
}
