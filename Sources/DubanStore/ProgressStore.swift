import DubanCore
import Foundation

/// Why a store refused or failed an update. Nothing was written in any of these cases.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// `expect` named an event that is no longer the assignment's latest.
    case conflict(expected: Int64, current: ProgressEvent?)
    /// The update is dated before the assignment's latest event: the log is kept in date order.
    case datedBeforeLatest(latest: ProgressEvent)
    case readOnly(path: String)
    case missingDirectory(path: String)
    case busy(path: String)
    case notADatabase(path: String)
    /// The path names a directory (or a device, a pipe): a database is a file.
    case notAFile(path: String)
    /// The file system holding the database has no room left; what was recorded before is whole.
    case diskFull(path: String)
    /// The access policy said no; `recorded`: the attempt is in the refusal log (it may not be, if the database
    /// cannot be written at that moment, and the message must then not claim it is).
    case refused(String, recorded: Bool = true)
    /// The step makes no sense in the assignment's state (approving with no claim pending, deciding no request).
    case rejected(String)
    case other(String)

    public var description: String {
        switch self {
        case let .conflict(expected, current):
            guard let current else {
                return "该任务目前没有任何记录，与期望的最新记录 #\(expected) 不符，未保存（无记录时 --expect 写 0；若曾有演示数据，可能已被替换）。请刷新后重试"
            }
            // The other clerk's note begun, not whole (a note may run to 2,000 characters: `duban log` shows it), and the
            // time to the minute as the clock read it.
            let note = current.note.isEmpty ? "" : "，说明：“\(DisplayWidth().truncated(SafeText.escaped(current.note), to: 60))”"
            let when = current.recordedAt.prefix(16).replacingOccurrences(of: "T", with: " ")
            return "该任务已被他人更新，未保存：期望最新记录为 #\(expected)，实际为 #\(current.id)"
                + "（\(SafeText.escaped(current.author)) 于 \(when) 记录为\(current.status.rawValue) \(current.percent)%\(note)）。请查看后重新提交。"
        case let .datedBeforeLatest(latest):
            return "登记日期不能早于该任务最新一条记录的日期 \(latest.date)（#\(latest.id)，\(SafeText.escaped(latest.author)) 记录）"
        case let .readOnly(path):
            return "数据库“\(path)”是只读的：请检查文件和所在目录的写权限（WAL 模式需要目录可写），或用 --db 指定其他位置"
        case let .missingDirectory(path):
            return "数据库所在目录“\(path)”不存在：请先创建该目录，或用 --db 指定其他位置"
        case let .busy(path):
            return "数据库“\(path)”正被其他程序长时间锁定，本次操作未完成（没有写入任何内容）：请稍后重试"
        case let .notADatabase(path):
            return "“\(path)”不是 duban 数据库（或已损坏）：请用 --db 指定正确的文件"
        case let .notAFile(path):
            return "“\(path)”不是文件（是目录或设备）：--db 应给出数据库文件，如“\((path as NSString).appendingPathComponent("duban.sqlite"))”"
        case let .diskFull(path):
            return "磁盘已满，“\(path)”未能写入（已写入的记录完好）；请清理磁盘空间后重试"
        case let .refused(reason, recorded):
            return "未获允许：\(reason)" + (recorded ? "（此次尝试已记录）" : "（此次尝试未能记入数据库，请告知管理员）")
        case let .rejected(message):
            return message + "，未保存"
        case let .other(message):
            return "数据库错误：\(message)"
        }
    }
}

/// A bulletin made: of what plan, as of what day, when and by whom.
public struct BulletinRecord: Sendable, Equatable {
    public let planID: String
    public let asOf: CivilDate
    public let madeAt: String
    public let account: String
}

/// Where recorded progress lives: SQLite, embedded, for one office's server (SQLiteProgressStore); PostgreSQL for a
/// province, where the database itself enforces who may write (PostgresProgressStore). Commands see only this.
public protocol ProgressStore: Sendable {
    /// The account the store acts for, with the role and units the access rules give it.
    var principal: Principal { get }

    /// Refuses (and records the refusal of) an action the principal may not take; for actions that are not a store write
    /// (import, access edits, reading). Writes are checked by `record` itself.
    func authorize(_ action: AccessAction) throws

    /// Appends an event — a progress report or one of the office's steps (`update.kind`) — carrying the state
    /// `CarriedState.next` gives from the latest event on or before its day; a step that does not fit that state is
    /// `.rejected`, one the principal may not take `.refused` (and the refusal recorded). With `expecting`, only if that
    /// event id is the assignment's latest (0: no event yet).
    func record(_ update: NewUpdate, expecting: Int64?) throws -> ProgressEvent

    /// The latest event of every assignment of a plan that has one, as of the end of `asOf` (nil: now): `body` is called
    /// with each, its node and unit ids as UTF-8 (valid only during the call), grouped by node.
    func visitStates(planID: String, asOf: CivilDate?,
                     _ body: (_ nodeID: UnsafeBufferPointer<UInt8>, _ unitID: UnsafeBufferPointer<UInt8>, AssignmentState) throws -> Void) throws

    /// Events in the order they happened (date, then id), filtered, up to the end of `asOf`.
    func history(planID: String, nodeID: String?, unitID: String?, asOf: CivilDate?) throws -> [ProgressEvent]

    /// Events by id (those that exist), for showing a state's note, author and evidence.
    func events(ids: [Int64]) throws -> [Int64: ProgressEvent]

    /// Only the notes of events by id: lists show one beside each of thousands of rows, which need nothing else.
    func notes(ids: [Int64]) throws -> [Int64: String]

    /// The latest event of one assignment, if any.
    func latest(planID: String, nodeID: String, unitID: String) throws -> ProgressEvent?

    /// Replaces all simulated (demo) events with these, in one transaction; real events are untouched.
    func replaceDemoEvents(_ updates: [NewUpdate]) throws

    /// Changes whenever an event is written by any process: the dashboard polls it to refresh itself.
    func changeToken() throws -> Int64

    /// How many events there are (real and demo).
    func eventCount() throws -> Int

    /// Whether any event is recorded: one row read, where counting ten million took the dashboard 60 ms.
    func hasEvents() throws -> Bool

    /// For each unit, the days on which it reported anything on the plan (progress or an extension request; not the
    /// office's steps), up to the end of `asOf`: what the reporting cycle's 未报 is judged by.
    func reportDays(planID: String, asOf: CivilDate?) throws -> [String: [CivilDate]]

    /// Notes that a bulletin of the plan was made as of a day, so the next one can report what changed since it.
    func recordBulletin(planID: String, asOf: CivilDate) throws

    /// The latest bulletin made of the plan (by when it was made): its as-of day and when it was made.
    func lastBulletin(planID: String) throws -> BulletinRecord?

    /// How many simulated (demo) events of a plan are dated on or before the day (nil: all): figures that count
    /// them must say so.
    func demoEventCount(planID: String, asOf: CivilDate?) throws -> Int
}

extension ProgressStore {
    /// A plan's states as of the end of `asOf` (nil: now), in the order of its assignments.
    public func states(of plan: Plan, asOf: CivilDate?) throws -> PlanStates {
        var states = PlanStates(plan: plan)
        try visitStates(planID: plan.id, asOf: asOf) { states.record(nodeID: $0, unitID: $1, $2) }
        return states
    }

    /// Every state the store holds for a plan, by assignment (whether or not the plan file still has it).
    public func states(planID: String, asOf: CivilDate?) throws -> [Assignment: AssignmentState] {
        var states: [Assignment: AssignmentState] = [:]
        try visitStates(planID: planID, asOf: asOf) { node, unit, state in
            states[Assignment(nodeID: String(decoding: node, as: UTF8.self), unitID: String(decoding: unit, as: UTF8.self))] = state
        }
        return states
    }
}
