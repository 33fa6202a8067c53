/// One recorded update of one assignment: an appended event, never changed afterwards.
public struct ProgressEvent: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let planID: String
    public let nodeID: String
    public let unitID: String
    public let status: Status
    public let percent: Int
    public let note: String
    public let evidence: String?
    /// The operating-system account that recorded it.
    public let author: String
    /// The day the progress happened (the clerk may record it later with `--at`).
    public let date: CivilDate
    /// When it was written, ISO 8601 UTC.
    public let recordedAt: String
    /// Simulated by `duban demo`, not recorded by anyone.
    public let demo: Bool
    /// A correction (更正) of this earlier record of the same assignment: it replaces what that one said, and both
    /// stay in the log.
    public let corrects: Int64?
    /// A progress report, or one of the office's steps (then `note` is its reason or remark).
    public let kind: EventKind
    /// For an extension request or approval: the deadline asked for or granted.
    public let extendTo: CivilDate?
    /// The claim's standing after this event (with review on, 已完成 awaits the office's sign-off).
    public let review: ReviewState?

    public init(id: Int64, planID: String, nodeID: String, unitID: String, status: Status, percent: Int, note: String,
                evidence: String?, author: String, date: CivilDate, recordedAt: String, demo: Bool = false, corrects: Int64? = nil,
                kind: EventKind = .update, extendTo: CivilDate? = nil, review: ReviewState? = nil) {
        self.demo = demo
        self.corrects = corrects
        self.kind = kind
        self.extendTo = extendTo
        self.review = review
        self.id = id
        self.planID = planID
        self.nodeID = nodeID
        self.unitID = unitID
        self.status = status
        self.percent = percent
        self.note = note
        self.evidence = evidence
        self.author = author
        self.date = date
        self.recordedAt = recordedAt
    }

    public var assignment: Assignment { Assignment(nodeID: nodeID, unitID: unitID) }
}

/// An assignment's state as of a day, derived from its events: what the figures need, and no more
/// (the note, author and evidence stay in the event, fetched by id when a screen shows them).
public struct AssignmentState: Sendable, Equatable {
    // Packed like `AssignmentStanding` (one per assignment of a plan, every command): 48 bytes as an optional, not 80.
    /// The latest event on or before the day (by date, then by id).
    public let eventID: Int64
    /// The unit's latest report (the latest event itself unless an office step came after it).
    public let reportEventID: Int64
    /// The day of that event.
    public let date: CivilDate
    private let storedDoneOn: PackedDate, storedClosedOn: PackedDate, storedExtendedTo: PackedDate, storedRequestedTo: PackedDate
    private let storedPercent: UInt8
    public let status: Status
    /// Where a claim of 已完成 stands with the office (and `closedOn`, the day it was signed off).
    public let review: ReviewState?

    public var percent: Int { Int(storedPercent) }
    /// For a done assignment: the day it was first reported done in its final stretch of being done.
    public var doneOn: CivilDate? { storedDoneOn.date }
    public var closedOn: CivilDate? { storedClosedOn.date }
    /// The deadline an approved extension set, and one asked for and not yet decided.
    public var extendedTo: CivilDate? { storedExtendedTo.date }
    public var requestedTo: CivilDate? { storedRequestedTo.date }

    public init(eventID: Int64, status: Status, percent: Int, date: CivilDate, doneOn: CivilDate?, review: ReviewState? = nil,
                closedOn: CivilDate? = nil, extendedTo: CivilDate? = nil, requestedTo: CivilDate? = nil, reportEventID: Int64? = nil) {
        self.reportEventID = reportEventID ?? eventID
        self.eventID = eventID
        self.status = status
        storedPercent = UInt8(clamping: percent)
        self.date = date
        storedDoneOn = PackedDate(doneOn)
        self.review = review
        storedClosedOn = PackedDate(closedOn)
        storedExtendedTo = PackedDate(extendedTo)
        storedRequestedTo = PackedDate(requestedTo)
    }

    public init(eventID: Int64, date: CivilDate, carried c: CarriedState) {
        self.init(eventID: eventID, status: c.status, percent: c.percent, date: date, doneOn: c.status == .done ? c.doneSince : nil,
                  review: c.review, closedOn: c.closedOn, extendedTo: c.extendedTo, requestedTo: c.requestedTo, reportEventID: c.reportID)
    }

    /// Folds a history (any order) into the state as of `asOf` (nil: everything), replaying each event by the rule
    /// every store applies when it writes (CarriedState.next). Nil when nothing is visible yet.
    public static func fold(_ events: [ProgressEvent], asOf: CivilDate?) -> AssignmentState? {
        let visible = events.filter { asOf == nil || $0.date <= asOf! }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        guard let latest = visible.last else { return nil }
        var carried: CarriedState?
        for event in visible {
            carried = (try? CarriedState.next(after: carried, applying: NewUpdate(replaying: event), eventID: event.id)) ?? carried
        }
        return AssignmentState(eventID: latest.id, date: latest.date, carried: carried ?? CarriedState())
    }
}

/// An update as a clerk submits it, validated against the plan (UpdateRequest) before it reaches a store.
public struct NewUpdate: Sendable, Equatable {
    public let planID: String
    public let nodeID: String
    public let unitID: String
    public let status: Status
    public let percent: Int
    public var note: String
    public let evidence: String?
    public var date: CivilDate
    public var author: String
    public var uid: Int
    /// Marks the update as a correction of this record, which must be the assignment's latest (see ProgressEvent).
    public var corrects: Int64?
    /// A progress report, or one of the office's steps on the assignment (status and percent then come from its state).
    public var kind: EventKind
    /// For an extension request: the deadline asked for; for an approval, a different one the office grants.
    public var extendTo: CivilDate?
    /// A report on work the office has signed off (销号), made by the office to reopen it (see CarriedState.closedReason).
    public var reopens = false

    public init(planID: String, nodeID: String, unitID: String, status: Status, percent: Int, note: String = "",
                evidence: String? = nil, date: CivilDate, author: String, uid: Int, corrects: Int64? = nil,
                kind: EventKind = .update, extendTo: CivilDate? = nil) {
        self.corrects = corrects
        self.kind = kind
        self.extendTo = extendTo
        self.planID = planID
        self.nodeID = nodeID
        self.unitID = unitID
        self.status = status
        self.percent = percent
        self.note = note
        self.evidence = evidence
        self.date = date
        self.author = author
        self.uid = uid
    }

    /// What the access policy is asked before this is written.
    public var accessAction: AccessAction {
        if kind == .update && reopens { return .reopen(planID: planID, nodeID: nodeID, unitID: unitID) }
        if kind.isOfficeDecision { return .decide(kind, planID: planID, nodeID: nodeID, unitID: unitID) }
        if kind == .extensionRequest { return .requestExtension(planID: planID, nodeID: nodeID, unitID: unitID) }
        return .update(planID: planID, nodeID: nodeID, unitID: unitID)
    }

    /// An event as it was submitted, to replay it.
    public init(replaying e: ProgressEvent) {
        self.init(planID: e.planID, nodeID: e.nodeID, unitID: e.unitID, status: e.status, percent: e.percent, note: e.note,
                  evidence: e.evidence, date: e.date, author: e.author, uid: 0, corrects: e.corrects, kind: e.kind, extendTo: e.extendTo)
    }

    /// One of the office's steps on an assignment (or a unit's extension request): status and percent are the state's.
    public static func step(_ kind: EventKind, planID: String, nodeID: String, unitID: String, note: String, date: CivilDate,
                            extendTo: CivilDate? = nil, author: String, uid: Int) -> NewUpdate {
        NewUpdate(planID: planID, nodeID: nodeID, unitID: unitID, status: .notStarted, percent: 0, note: note, date: date,
                  author: author, uid: uid, kind: kind, extendTo: extendTo)
    }

    /// The first field holding a character no stored text may hold (see SafeText), and that character. Every
    /// store refuses such an update, whichever front end built it.
    public var forbiddenCharacter: (field: String, scalar: Unicode.Scalar)? {
        for (field, text) in [("计划编号", planID), ("事项编号", nodeID), ("单位", unitID), ("说明", note), ("佐证", evidence ?? ""), ("记录人", author)] {
            if let scalar = text.unicodeScalars.first(where: SafeText.isForbidden) { return (field, scalar) }
        }
        return nil
    }
}

