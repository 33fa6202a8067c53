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

    public init(id: Int64, planID: String, nodeID: String, unitID: String, status: Status, percent: Int, note: String,
                evidence: String?, author: String, date: CivilDate, recordedAt: String, demo: Bool = false, corrects: Int64? = nil) {
        self.demo = demo
        self.corrects = corrects
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
    /// The latest event on or before the day (by date, then by id).
    public let eventID: Int64
    public let status: Status
    public let percent: Int
    /// The day of that event.
    public let date: CivilDate
    /// For a done assignment: the day it was first reported done in its final stretch of being done.
    public let doneOn: CivilDate?

    public init(eventID: Int64, status: Status, percent: Int, date: CivilDate, doneOn: CivilDate?) {
        self.eventID = eventID
        self.status = status
        self.percent = percent
        self.date = date
        self.doneOn = doneOn
    }

    /// Folds a history (any order) into the state as of `asOf` (nil: everything). Nil when nothing is visible yet.
    public static func fold(_ events: [ProgressEvent], asOf: CivilDate?) -> AssignmentState? {
        let visible = events.filter { asOf == nil || $0.date <= asOf! }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        guard let latest = visible.last else { return nil }
        var doneOn: CivilDate?
        if latest.status == .done {
            doneOn = latest.date
            for event in visible.reversed() {
                guard event.status == .done else { break }
                doneOn = event.date
            }
        }
        return AssignmentState(eventID: latest.id, status: latest.status, percent: latest.percent, date: latest.date, doneOn: doneOn)
    }
}

/// An update as a clerk submits it, validated against the plan (UpdateRequest) before it reaches a store.
public struct NewUpdate: Sendable, Equatable {
    public let planID: String
    public let nodeID: String
    public let unitID: String
    public let status: Status
    public let percent: Int
    public let note: String
    public let evidence: String?
    public let date: CivilDate
    public var author: String
    public var uid: Int
    /// Marks the update as a correction of this record, which must be the assignment's latest (see ProgressEvent).
    public var corrects: Int64?

    public init(planID: String, nodeID: String, unitID: String, status: Status, percent: Int, note: String = "",
                evidence: String? = nil, date: CivilDate, author: String, uid: Int, corrects: Int64? = nil) {
        self.corrects = corrects
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

    /// The first field holding a character no stored text may hold (see SafeText), and that character. Every
    /// store refuses such an update, whichever front end built it.
    public var forbiddenCharacter: (field: String, scalar: Unicode.Scalar)? {
        for (field, text) in [("计划编号", planID), ("事项编号", nodeID), ("单位", unitID), ("说明", note), ("佐证", evidence ?? ""), ("记录人", author)] {
            if let scalar = text.unicodeScalars.first(where: SafeText.isForbidden) { return (field, scalar) }
        }
        return nil
    }
}

