/// A calendar date with no time and no time zone: deadlines and holidays are civil dates in China,
/// and doing their arithmetic on `Date` would drag a time zone into every comparison.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01. A date is kept as its day number: a plan's figures compare, subtract and store
    /// hundreds of thousands of dates, and four bytes are a quarter of what three Ints took in every state.
    private let number: Int32

    public var year: Int { fields.year }
    public var month: Int { fields.month }
    public var day: Int { fields.day }

    /// Returns nil for a date that does not exist (2021-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.init(dayNumber: Self.dayNumber(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD` strictly.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { Int(number) }

    public init(dayNumber: Int) { number = Int32(clamping: dayNumber) }

    /// Howard Hinnant's days_from_civil.
    private static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Howard Hinnant's civil_from_days.
    private var fields: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { isoWeekday >= 6 }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// A date as a clerk types it: 2021-09-30, 2021-9-30, 2021/9/30, 2021.9.30 or 20210930.
    public init?(typed text: String) {
        guard let fields = Self.typedFields(text) else { return nil }
        self.init(year: fields.year, month: fields.month, day: fields.day)
    }

    /// Why a typed text is not a date, for the clerk: a day the calendar lacks is named as such (2021-02-30 is written
    /// right, and "use the format 2021-09-30" would only puzzle), anything else gets the format.
    public static func problem(typed text: String) -> String {
        guard let (year, month, day) = typedFields(text) else { return "应为 2021-09-30 的格式" }
        guard (1...12).contains(month) else { return "月份应为 1 到 12，而不是 \(month)" }
        return "\(year) 年 \(month) 月只有 \(daysIn(month: month, year: year)) 天，没有 \(day) 日"
    }

    /// Year, month and day as typed (2021-09-30, 2021-9-30, 2021/09/30, 2021.09.30 or 20210930), not yet checked
    /// against the calendar.
    private static func typedFields(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        let fields: [Int]
        if parts.count == 3 {
            fields = parts.compactMap { Int($0) }
        } else if parts.count == 1, trimmed.count == 8, trimmed.allSatisfy(\.isASCII), let whole = Int(trimmed) {
            fields = [whole / 10000, whole / 100 % 100, whole % 100]
        } else {
            return nil
        }
        guard fields.count == 3, fields[0] >= 1900, fields[0] <= 2999 else { return nil }
        return (fields[0], fields[1], fields[2])
    }

    /// The same day `months` later (or earlier), kept within the month; a month's last day steps to the target
    /// month's last day (09-30 → 10-31 → 11-30), as a clerk stepping through month-ends expects.
    public func adding(months: Int) -> CivilDate {
        let (year, month, day) = fields
        let isMonthEnd = day == Self.daysIn(month: month, year: year)
        let total = year * 12 + (month - 1) + months
        let targetYear = total / 12, targetMonth = total % 12 + 1
        let last = Self.daysIn(month: targetMonth, year: targetYear)
        return CivilDate(year: targetYear, month: targetMonth, day: isMonthEnd ? last : min(day, last))!
    }

    public static func lastDay(ofMonth month: Int, year: Int) -> CivilDate {
        CivilDate(year: year, month: month, day: daysIn(month: month, year: year))!
    }

    public static func endOfYear(_ year: Int) -> CivilDate { CivilDate(year: year, month: 12, day: 31)! }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.number < b.number }

    public var description: String {
        let (year, month, day) = fields
        guard (0...9999).contains(year) else {
            return "\(NumberText.zeroPadded(year, to: 4))-\(NumberText.zeroPadded(month, to: 2))-\(NumberText.zeroPadded(day, to: 2))"
        }
        // Digit by digit into ten bytes (a small string, no allocation): lists write thousands of dates, and formatting
        // each number through String(_:radix:) was a twentieth of `overdue --json`.
        return String(unsafeUninitializedCapacity: 10) { bytes in
            func put(_ value: Int, at offset: Int, width: Int) {
                var rest = value
                for i in (offset..<offset + width).reversed() {
                    bytes[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, at: 0, width: 4)
            put(month, at: 5, width: 2)
            put(day, at: 8, width: 2)
            bytes[4] = UInt8(ascii: "-")
            bytes[7] = UInt8(ascii: "-")
            return 10
        }
    }

    /// 2021年9月30日 — how an office writes a date.
    public var chinese: String {
        let (year, month, day) = fields
        return "\(year)年\(month)月\(day)日"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
