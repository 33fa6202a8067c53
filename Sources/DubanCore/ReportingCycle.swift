/// When units report (报送): monthly by day D of the next month, quarterly by day D of the quarter's first month
/// (for the quarter before), or not on a schedule. A due day that falls on a day off moves to the next working day.
public enum ReportingCycle: Sendable, Equatable, CustomStringConvertible, Codable {
    case none
    case monthly(day: Int)
    case quarterly(day: Int)

    public static let standard = ReportingCycle.monthly(day: 5)

    /// `monthly 5`, `quarterly 10`, `none` (also 每月5日, 每季度10日, 不定期).
    public init?(text: String) {
        let t = text.trimmingSpaces
        if ["none", "不定期", "无"].contains(t) { self = .none; return }
        let digits = Int(String(t.filter { $0.isASCII && $0.isNumber }))
        guard let day = digits, (1...28).contains(day) else { return nil }
        if t.hasPrefix("monthly") || t.hasPrefix("每月") { self = .monthly(day: day); return }
        if t.hasPrefix("quarterly") || t.hasPrefix("每季度") || t.hasPrefix("每季") { self = .quarterly(day: day); return }
        return nil
    }

    public var description: String {
        switch self {
        case .none: "none"
        case let .monthly(day): "monthly \(day)"
        case let .quarterly(day): "quarterly \(day)"
        }
    }

    /// 每月5日前报送上月进展.
    public var chinese: String {
        switch self {
        case .none: "不定期报送"
        case let .monthly(day): "每月\(day)日前报送上月进展"
        case let .quarterly(day): "每季度首月\(day)日前报送上季度进展"
        }
    }

    /// The reporting periods of a plan year that begin on or after `start`'s month, each with its due day (moved past
    /// days off by `calendar`): January's report is due on D February, December's on D January of the next year.
    public func periods(year: Int, from start: CivilDate, calendar: WorkdayCalendar) -> [ReportPeriod] {
        let months: Int
        switch self {
        case .none: return []
        case .monthly: months = 1
        case .quarterly: months = 3
        }
        let day: Int
        switch self {
        case let .monthly(d), let .quarterly(d): day = d
        case .none: day = 1
        }
        var result: [ReportPeriod] = []
        var first = 1
        while first <= 12 {
            let periodStart = CivilDate(year: year, month: first, day: 1)!
            let nextMonth = first + months
            let periodEnd = (nextMonth <= 12 ? CivilDate(year: year, month: nextMonth, day: 1)! : CivilDate(year: year + 1, month: 1, day: 1)!).adding(days: -1)
            if periodEnd >= start {
                let due = (nextMonth <= 12 ? CivilDate(year: year, month: nextMonth, day: day)! : CivilDate(year: year + 1, month: nextMonth - 12, day: day)!)
                result.append(ReportPeriod(start: periodStart, end: periodEnd, due: calendar.firstWorkingDay(onOrAfter: due), months: months))
            }
            first = nextMonth
        }
        return result
    }

}

/// One reporting period (a month or a quarter) and the day its report is due.
public struct ReportPeriod: Sendable, Equatable, Hashable {
    public let start: CivilDate
    public let end: CivilDate
    public let due: CivilDate
    public let months: Int

    /// 2021年3月 or 2021年一季度.
    public var label: String {
        months == 3 ? "\(start.year)年\(["一", "二", "三", "四"][(start.month - 1) / 3])季度" : "\(start.year)年\(start.month)月"
    }
}

/// Whether a unit's report for a period came: on time (any report between the previous due day, exclusive, and this
/// one), late (after the due day), missing (due and nothing since), or not yet due.
public enum ReportState: String, Sendable, Codable, CaseIterable {
    case received
    case late
    case missing
    case notDue = "not_due"

    public var label: String {
        switch self {
        case .received: "按时报送"
        case .late: "逾期报送"
        case .missing: "未报"
        case .notDue: "未到报送日"
        }
    }
}

/// One unit's standing on one period's report.
public struct UnitReport: Sendable, Equatable {
    public let unitID: String
    public let period: ReportPeriod
    public let state: ReportState
    /// The day the report came (the first report after the previous due day), if it came.
    public let receivedOn: CivilDate?
}

/// Every unit's reports for a plan as of a day: the rule behind `duban reports`, the 动态 screen, reminders and the
/// bulletin's 未按时报送. A unit owes a period's report while it has work open in that period (an assignment neither
/// suspended nor done before the period began); any report it records — progress or an extension request, on any of
/// its assignments — counts.
public enum UnitReports {
    /// `reportDays`: for each unit, the days it recorded something (any order, duplicates allowed).
    public static func compute(_ snapshot: PlanSnapshot, cycle: ReportingCycle, calendar: WorkdayCalendar,
                               reportDays: [String: [CivilDate]]) -> [UnitReport] {
        let periods = cycle.periods(year: snapshot.plan.year, from: snapshot.maths.periodStart, calendar: calendar)
            .filter { $0.start <= snapshot.asOf }
        guard !periods.isEmpty else { return [] }
        // Whether a unit owes a period's report depends on two facts about its tasks, gathered in one pass (asking every
        // task of the unit again for every period cost 14,280 × the periods at province scale): whether one is open
        // (neither suspended nor done), and the last day one not suspended was done — it owes every period that began
        // by then. Units by their place in the registry, as every list of units in the documents; a unit the registry
        // lacks comes after them, by id.
        let registry = snapshot.plan.registry
        var owing = [Owing](repeating: Owing(), count: registry.units.count)
        var unregistered: [String: Owing] = [:]
        for (index, standing) in snapshot.standings.enumerated() where !standing.isSuspended {
            let unit = snapshot.plan.assignmentUnits[index]
            if unit >= 0 {
                owing[unit].add(standing, asOf: snapshot.asOf)
            } else {
                unregistered[standing.assignment.unitID, default: Owing()].add(standing, asOf: snapshot.asOf)
            }
        }
        let units = zip(registry.units, owing).map { ($0.id, $1) } + unregistered.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var result: [UnitReport] = []
        for (unitID, owes) in units where owes.open || owes.lastDone != nil {
            let days = Set(reportDays[unitID] ?? []).filter { $0 <= snapshot.asOf }.sorted()
            var previousDue = snapshot.maths.periodStart.adding(days: -1)
            for period in periods {
                defer { previousDue = period.due }
                // A task open in the period: not suspended now, and not done before the period began.
                guard owes.open || owes.lastDone.map({ $0 >= period.start }) == true else { continue }
                let inWindow = days.first { $0 > previousDue && $0 <= period.due }
                let state: ReportState
                var receivedOn = inWindow
                if inWindow != nil {
                    state = .received
                } else if period.due >= snapshot.asOf {
                    state = .notDue
                } else if let late = days.first(where: { $0 > period.due }) {
                    state = .late
                    receivedOn = late
                } else {
                    state = .missing
                }
                result.append(UnitReport(unitID: unitID, period: period, state: state, receivedOn: receivedOn))
            }
        }
        return result
    }

    /// What a unit's tasks (those not suspended) say about the reports it owes.
    struct Owing {
        /// One is not done.
        var open = false
        /// The latest day one was done (a task done with no day recorded counts as done on the day of the figures).
        var lastDone: CivilDate?

        mutating func add(_ standing: AssignmentStanding, asOf: CivilDate) {
            guard standing.isDone else { open = true; return }
            let day = standing.doneOn ?? asOf
            if lastDone.map({ day > $0 }) ?? true { lastDone = day }
        }
    }
}
