/// One year's official holiday arrangement (国务院办公厅关于…部分节假日安排的通知).
public struct HolidayYear: Sendable, Equatable, Codable {
    public struct Holiday: Sendable, Equatable, Codable {
        public let name: String
        public let from: CivilDate
        public let to: CivilDate
        public init(name: String, from: CivilDate, to: CivilDate) {
            self.name = name
            self.from = from
            self.to = to
        }
    }

    public let year: Int
    public let source: String
    public let holidays: [Holiday]
    /// 调休: weekend days that are working days.
    public let workdays: [CivilDate]

    public init(year: Int, source: String, holidays: [Holiday], workdays: [CivilDate]) {
        self.year = year
        self.source = source
        self.holidays = holidays
        self.workdays = workdays
    }
}

public enum WorkdayCalendarError: Error, Equatable, CustomStringConvertible {
    case yearNotCovered(Int, covered: ClosedRange<Int>?)

    public var description: String {
        switch self {
        case let .yearNotCovered(year, covered):
            let range = covered.map { "（已收录 \($0.lowerBound)–\($0.upperBound) 年）" } ?? "（尚未收录任何年份）"
            return "工作日历未收录\(year)年的节假日安排\(range)；请在 Plans/calendar/ 中按国务院办公厅通知补充 \(year).yaml"
        }
    }
}

/// Working days in mainland China: Monday to Friday, minus official holidays, plus 调休 make-up days.
/// Only years with a loaded arrangement are answered; guessing a year would silently miscount.
public struct WorkdayCalendar: Sendable {
    private var offDays: Set<CivilDate> = []
    private var makeUpDays: Set<CivilDate> = []
    public private(set) var years: [Int: HolidayYear] = [:]
    /// Working days from the first covered day up to and including each covered day, so counting
    /// between two dates is a subtraction: overdue figures for a whole province ask this a million times.
    private var cumulative: [Int] = []
    private var firstDay = 0

    public init(_ years: [HolidayYear] = []) {
        for y in years { insert(y) }
        rebuildCumulative()
    }

    public mutating func add(_ arrangement: HolidayYear) {
        insert(arrangement)
        rebuildCumulative()
    }

    private mutating func insert(_ arrangement: HolidayYear) {
        years[arrangement.year] = arrangement
        for h in arrangement.holidays {
            var d = h.from
            while d <= h.to {
                offDays.insert(d)
                d = d.adding(days: 1)
            }
        }
        makeUpDays.formUnion(arrangement.workdays)
    }

    private mutating func rebuildCumulative() {
        guard let range = coveredYears else { return }
        firstDay = CivilDate(year: range.lowerBound, month: 1, day: 1)!.dayNumber
        let lastDay = CivilDate.endOfYear(range.upperBound).dayNumber
        // The weekdays of each covered year, then its holidays off and its make-up days on (a few dozen dates each):
        // asking two sets and a dictionary about every day of the decade cost every command half a millisecond.
        var working = [Bool](repeating: false, count: lastDay - firstDay + 1)
        for year in range where years[year] != nil {
            for n in CivilDate(year: year, month: 1, day: 1)!.dayNumber...CivilDate.endOfYear(year).dayNumber {
                working[n - firstDay] = !CivilDate(dayNumber: n).isWeekend
            }
        }
        for (days, isWorking) in [(offDays, false), (makeUpDays, true)] {
            for d in days where years[d.year] != nil { working[d.dayNumber - firstDay] = isWorking }
        }
        cumulative = []
        cumulative.reserveCapacity(working.count)
        var count = 0
        for isWorking in working {
            if isWorking { count += 1 }
            cumulative.append(count)
        }
    }

    /// Working days in [first covered day, date]; 0 before it.
    private func workingDaysThrough(_ date: CivilDate) -> Int {
        let index = date.dayNumber - firstDay
        return index < 0 ? 0 : cumulative[min(index, cumulative.count - 1)]
    }

    public var coveredYears: ClosedRange<Int>? {
        guard let lo = years.keys.min(), let hi = years.keys.max() else { return nil }
        return lo...hi
    }

    public func covers(_ date: CivilDate) -> Bool { years[date.year] != nil }

    public func isWorkingDay(_ date: CivilDate) throws -> Bool {
        guard covers(date) else { throw WorkdayCalendarError.yearNotCovered(date.year, covered: coveredYears) }
        if makeUpDays.contains(date) { return true }
        if offDays.contains(date) { return false }
        return !date.isWeekend
    }

    /// The first working day on or after `date` (a deadline or a report day that falls on a day off is met by it);
    /// the date itself where the calendar does not cover it.
    public func firstWorkingDay(onOrAfter date: CivilDate) -> CivilDate {
        var d = date
        for _ in 0..<30 {
            guard let working = try? isWorkingDay(d) else { return date }
            if working { return d }
            d = d.adding(days: 1)
        }
        return date
    }

    /// The date `n` working days after `date` (before it when n < 0). n = 0 returns `date` itself.
    public func adding(workingDays n: Int, to date: CivilDate) throws -> CivilDate {
        var d = date
        var remaining = abs(n)
        let step = n < 0 ? -1 : 1
        while remaining > 0 {
            d = d.adding(days: step)
            if try isWorkingDay(d) { remaining -= 1 }
        }
        return d
    }

    /// Working days in (from, to]: the days that pass after `from` up to and including `to`;
    /// negative when `to` is before `from`. From a deadline to today, it is the working days overdue.
    public func workingDays(from: CivilDate, to: CivilDate) throws -> Int {
        if to < from { return -(try workingDays(from: to, to: from)) }
        if to == from { return 0 }
        for year in from.adding(days: 1).year...to.year where years[year] == nil {
            throw WorkdayCalendarError.yearNotCovered(year, covered: coveredYears)
        }
        return workingDaysThrough(to) - workingDaysThrough(from)
    }
}
