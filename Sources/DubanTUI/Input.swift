import DubanCore

/// A key as the dashboard understands it, whatever terminal sent it.
public enum Key: Equatable, Sendable, Hashable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end, insert
    case enter, escape, backspace, delete, tab, backTab
    case function(Int)
    /// Ctrl + a letter (lower case).
    case control(Character)
    /// Alt (Meta) + a key: recognised so that it is never typed or taken as the plain key; nothing answers to it.
    case alt(Character)
}

public enum MouseButton: Sendable, Equatable {
    case left, wheelUp, wheelDown
}

/// Everything that can change the dashboard's state. Data arrives as events too, so `update` is the one
/// place state changes.
public enum Event: Sendable {
    case key(Key)
    case mouse(x: Int, y: Int, button: MouseButton)
    /// Text the terminal marked as pasted (bracketed paste), as sent; `length`: its characters, counted even past
    /// what the decoder keeps.
    case paste(String, length: Int)
    case resize(width: Int, height: Int)
    /// A plan's figures (re)loaded for the current as-of date.
    case snapshotLoaded(DashboardData)
    /// Notes of events, by id (see `Effect.loadNotes`).
    case notesLoaded([Int64: String])
    case historyLoaded(HistoryData)
    /// The latest record of the assignment a form was opened on: its note and evidence fill the form.
    case latestLoaded(Assignment, note: String, evidence: String?)
    /// Another process wrote to the database.
    case externalChange
    case saved(savedEventID: Int64, message: String)
    case saveRejected(String)
    /// Someone else updated the assignment since the form was opened: what they wrote.
    case saveConflict(current: ConflictInfo)
    /// Where the exports went (or why they did not).
    case exported(String, isError: Bool)
    /// An office step (审核通过, 退回) was recorded, or refused: what to tell the admin.
    case stepRecorded(String, isError: Bool)
    /// What changed over the 动态 screen's window.
    case changesLoaded(ChangesData)
}

/// What the driver must do after an event: the only way the pure core asks for the world.
public enum Effect: Equatable, Sendable {
    case loadSnapshot(planID: String, asOfDate: String?)
    /// The notes of these events (screens show them beside their rows); performed after the frame is drawn.
    case loadNotes(ids: [Int64])
    case loadHistory(planID: String, nodeID: String, unitID: String)
    case loadLatest(planID: String, nodeID: String, unitID: String)
    /// What changed on the plan between the end of `since` and the end of `asOf` (动态).
    case loadChanges(planID: String, since: String, asOf: String)
    case submit(Submission)
    /// Record one of the office's steps on an assignment, against the claim the admin saw (`expect`).
    case decide(StepSubmission)
    /// Fill an empty database with the simulated year.
    case fillDemo
    /// Write the bulletin (.docx) and the ledger (.xlsx) for the plan and day on screen.
    case export(planID: String, asOfDate: String?)
    case quit
}

public struct StepSubmission: Equatable, Sendable {
    public let kind: EventKind
    public let planID: String
    public let assignment: Assignment
    public let note: String
    public let expect: Int64?

    public init(kind: EventKind, planID: String, assignment: Assignment, note: String, expect: Int64?) {
        self.kind = kind
        self.planID = planID
        self.assignment = assignment
        self.note = note
        self.expect = expect
    }
}

public struct Submission: Equatable, Sendable {
    public let planID: String
    public let nodeID: String
    public let unitID: String
    public let status: String
    public let percent: Int?
    public let note: String
    public let evidence: String?
    public let expect: Int64
    /// YYYY-MM-DD, checked by the form.
    public let date: String
    /// The record this one corrects (the latest, as the form was opened), or nil.
    public let corrects: Int64?
    /// Reopens signed-off work (the office's form says so before saving).
    public var reopens = false
}

public struct ConflictInfo: Equatable, Sendable {
    public let eventID: Int64
    public let author: String
    public let recordedAt: String
    public let status: String
    public let percent: Int
    public let note: String

    public init(eventID: Int64, author: String, recordedAt: String, status: String, percent: Int, note: String) {
        self.eventID = eventID
        self.author = author
        self.recordedAt = recordedAt
        self.status = status
        self.percent = percent
        self.note = note
    }
}
