import DubanCore

public enum ScreenID: Int, Sendable, CaseIterable {
    case overview = 1, tasks, overdue, unit, history, summary, review, changes, board, help, search

    public var label: String {
        switch self {
        case .overview: return "总览"
        case .tasks: return "任务"
        case .overdue: return "逾期"
        case .unit: return "单位"
        case .history: return "历史"
        case .summary: return "领导"
        case .review: return "审核"
        case .changes: return "动态"
        case .board: return "总表"
        case .help: return "帮助"
        case .search: return "搜索"
        }
    }

    /// The screens with a number key, in tab order.
    public static let tabs: [ScreenID] = [.overview, .tasks, .overdue, .unit, .history, .summary, .review, .changes, .board]
}

public struct PlanChoice: Sendable, Equatable {
    public let id: String
    public let title: String
    public let year: Int

    public init(id: String, title: String, year: Int) {
        self.id = id
        self.title = title
        self.year = year
    }
}

/// What the driver loads for the current plan and day.
public struct DashboardData: Sendable {
    public let snapshot: PlanSnapshot
    public let plans: [PlanChoice]
    public let today: CivilDate
    /// Notes of the latest events the screens show (overdue items, claims awaiting review), by event id: filled after
    /// the first frame (`Effect.loadNotes`), since thousands of them cost a province's dashboard a fifth of its start.
    public internal(set) var notes: [Int64: String]
    /// The day shown is the plan's own (today, or a finished year's last recorded day), not one asked for.
    public let isPlansOwnDay: Bool
    /// Simulated (demo) events among those the figures count: shown, so nobody takes them for real records.
    public let demoEvents: Int
    /// Each unit's reports by the plan's cycle (未报 is shown apart from 超期), and the cycle in words.
    public let reports: [UnitReport]
    public let cycle: ReportingCycle
    /// Units with something to do in this plan: districts in the plan's order, then the others in registry order.
    public let units: [Unit]

    public init(snapshot: PlanSnapshot, plans: [PlanChoice], today: CivilDate, notes: [Int64: String] = [:],
                isPlansOwnDay: Bool = true, demoEvents: Int = 0, reports: [UnitReport] = [], cycle: ReportingCycle = .none) {
        self.snapshot = snapshot
        self.plans = plans
        self.today = today
        self.notes = notes
        self.isPlansOwnDay = isPlansOwnDay
        self.demoEvents = demoEvents
        self.reports = reports
        self.cycle = cycle
        // The units the plan assigns, marked by their place in the registry (hashing 14,280 unit ids was a hundredth of
        // `summary --once` at province scale); a unit the registry lacks is looked up by id among those few.
        let plan = snapshot.plan
        var assigned = [Bool](repeating: false, count: plan.registry.units.count)
        var unregistered: Set<String> = []
        for (place, assignment) in zip(plan.assignmentUnits, plan.assignments) {
            if place >= 0 { assigned[place] = true } else { unregistered.insert(assignment.unitID) }
        }
        func isAssigned(_ unit: Unit) -> Bool {
            plan.registry.index(ofUnitID: unit.id).map { assigned[$0] } ?? unregistered.contains(unit.id)
        }
        units = plan.districts.filter(isAssigned) + plan.registry.units.enumerated()
            .filter { assigned[$0.offset] && $0.element.kind != .district }.map(\.element)
    }

    public var plan: Plan { snapshot.plan }
    /// Whom the leader's summary ranks: the districts, or, in a plan that assigns none (departments only, as many
    /// 实施方案 are), every responsible unit — a leader's screen with a heading and no rows says nothing.
    public var leaderRanking: (rows: [RankedUnit], collectiveName: String) {
        let districts = snapshot.districtRanking
        return districts.isEmpty ? (snapshot.unitRanking, "责任单位") : (districts, plan.registry.districtsCollectiveName)
    }
    /// The events whose notes the screens show beside a row: the overdue list and the claims awaiting review, each
    /// once, in plan order (the store reads them by id). Read straight off the standings: making the ordered overdue
    /// list for this (8,000 rows at province scale) was a twentieth of `summary --once`, which shows no note at all.
    public var noteIDs: [Int64] {
        snapshot.standings.compactMap { $0.isOverdue || $0.verdict == .pendingReview ? $0.lastReportID : nil }
    }
    public var asOf: CivilDate { snapshot.asOf }
}

/// The 动态 screen's changes: since which day, and what changed.
public struct ChangesData: Sendable {
    public let since: CivilDate
    public let asOf: CivilDate
    public let changes: [PlanChange]

    public init(since: CivilDate, asOf: CivilDate, changes: [PlanChange]) {
        self.since = since
        self.asOf = asOf
        self.changes = changes
    }
}

public struct HistoryData: Sendable {
    public let assignment: Assignment
    public let events: [ProgressEvent]

    public init(assignment: Assignment, events: [ProgressEvent]) {
        self.assignment = assignment
        self.events = events
    }
}

/// The update form over the 单位 screen.
public struct FormState: Sendable, Equatable {
    public enum Field: Int, Sendable, CaseIterable {
        case status, percent, date, note, evidence

        public var label: String {
            switch self {
            case .status: return "状态"
            case .percent: return "完成进度"
            case .date: return "登记日期"
            case .note: return "进展说明"
            case .evidence: return "佐证材料"
            }
        }
    }

    public let assignment: Assignment
    public var expect: Int64
    public var status: Status
    public var percent: TextField
    /// The day the progress happened: today unless the clerk records late (back to the latest record's day).
    public var date: TextField
    public var note: TextField
    public var evidence: TextField
    /// Marked as a correction (更正) of the latest record (`expect`), toggled with the space bar on 登记日期.
    public var isCorrection = false
    /// The work is signed off (销号): saving reopens it, which only the office does, and the form says so.
    public var reopens = false
    /// The plan's year is over: the date starts at the day on screen (its last record), not today, and the form says so.
    public var finishedPlan = false
    public var focus: Field = .status
    public var error: String?
    public var conflict: ConflictInfo?
    public var dirty = false
    public var saving = false

    public init(assignment: Assignment, expect: Int64, status: Status, percent: Int, today: CivilDate) {
        self.assignment = assignment
        self.expect = expect
        self.status = status
        self.percent = TextField(String(percent), limit: 3)
        self.date = TextField(today.description, limit: 10)
        self.note = TextField("", limit: UpdateRequest.maximumNoteLength)
        self.evidence = TextField("", limit: UpdateRequest.maximumEvidenceLength)
    }
}

public struct UnitPicker: Sendable, Equatable {
    public var query = TextField("", limit: 20)
    public var selection: String?
}

public struct SearchState: Sendable, Equatable {
    public var query = TextField("", limit: 100)
    /// True while the query is being typed on the bottom line.
    public var typing = false
    public var selection: String?
    /// Matching node ids, worked out when the query or the plan changes (not per frame).
    public var results: [String] = []
}

public struct AppState: Sendable {
    public var settings: DisplaySettings
    public var width: Int
    public var height: Int
    /// The leader's view: nothing can be edited.
    public var readOnly: Bool
    /// For a district liaison: the units whose progress they may record (nil: any).
    public var editableUnits: Set<String>?
    /// The office (admin): approves and returns claims on the 审核 screen. Others see the queue read-only.
    public var canDecide = false
    public var reviewSelection: Assignment?
    /// The return reason being typed on the bottom line (nil when not asked).
    public var reasonEntry: TextField?
    /// `a` on the 审核 screen asks before signing a claim off.
    public var confirmApprove: Assignment?
    public var data: DashboardData?
    public var screen: ScreenID = .overview
    public var returnScreen: ScreenID = .overview
    public var requestedAsOf: CivilDate?
    /// The `g` prompt: a date being typed (nil when not asked).
    public var dateEntry: TextField?
    /// False when the screen is printed once (summary --once): no tabs, no key names anywhere.
    public var showsKeyHints = true
    /// The unit screen's `v` filter and `s` order.
    public var unitFilter = StandingFilter.all
    public var unitOrder = StandingOrder.number
    /// The 逾期 screen lists overdue assignments, or (`v`) those with no record for StandingFilter.staleDays days.
    public var overdueList = StandingFilter.overdue
    public var overdueOrder = StandingOrder.deadline
    /// The `u` picker on the unit screen: what is typed filters the units; nil when closed.
    public var unitPicker: UnitPicker?
    /// The help screen's first shown line.
    public var helpOffset = 0
    /// The 动态 screen: the days it looks back (`v`: 7 or 30), what it found, the selected row.
    public var changesDays = 7
    public var changes: ChangesData?
    public var changesSelection = 0
    /// The 总表 board's cursor: an item (row) and a unit (column).
    public var boardNode: String?
    public var boardUnit: String?

    public var overviewSelection: String?
    public var expanded: Set<String> = []
    public var taskSelection: String?
    public var overdueSelection: Assignment?
    public var overdueFilter: String?
    public var unitID: String?
    public var unitSelection: Assignment?
    public var history: HistoryData?
    public var historySelection = 0
    public var form: FormState?
    public var search = SearchState()
    public var message: String?
    public var messageIsError = false
    public var confirmQuit = false
    /// `D` asks before filling the database with simulated records.
    public var confirmDemo = false
    /// The database has no updates yet: the dashboard offers the demo year.
    public var emptyDatabase = false

    public init(width: Int, height: Int, settings: DisplaySettings = DisplaySettings(), readOnly: Bool = false) {
        self.width = width
        self.height = height
        self.settings = settings
        self.readOnly = readOnly
        if readOnly { screen = .summary }
    }

    /// Rows available to a list below the header, tab bar and column headings, above the footer.
    public var listHeight: Int { max(1, height - 6) }
}
