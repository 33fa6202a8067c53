import DubanCore
import Yams

/// Reads one year's holiday arrangement (Plans/calendar/<year>.yaml).
public enum CalendarFile {
    public static func parse(_ text: String, file: String) -> (HolidayYear?, [Diagnostic]) {
        let reader = YAMLReading(file: file)
        guard let root = reader.root(of: text), let f = reader.fields(root, what: "工作日历") else {
            return (nil, reader.diagnostics)
        }
        var year = f.int("year", required: true)
        if let y = year, !(1949...2100).contains(y.value) {
            reader.diagnostics.append(.error("年份 \(y.value) 不合理（应在 1949–2100 之间）", at: y.location))
            year = nil
        }
        let source = f.string("source")?.value ?? ""
        func date(_ value: Located<String>?) -> CivilDate? {
            guard let value else { return nil }
            guard let date = CivilDate(iso: value.value) else {
                reader.diagnostics.append(.error("“\(value.value)”不是有效日期，应为 YYYY-MM-DD", at: value.location))
                return nil
            }
            if let year, date.year != year.value && !(date.year == year.value - 1 && date.month == 12) && !(date.year == year.value + 1 && date.month == 1) {
                reader.diagnostics.append(.error("日期 \(date) 不在 \(year.value) 年内（或相邻的岁末年初）", at: value.location))
            }
            return date
        }
        var holidays: [HolidayYear.Holiday] = []
        for entry in f.sequence("holidays") ?? [] {
            guard let h = reader.fields(entry, what: "假日") else { continue }
            let name = h.string("name", required: true)
            let fromText = h.string("from", required: true)
            let toText = h.string("to", required: true)
            h.finish()
            guard let name, let from = date(fromText), let to = date(toText) else { continue }
            if to < from {
                reader.diagnostics.append(.error("假日“\(name.value)”的结束日期早于开始日期", at: toText?.location))
                continue
            }
            holidays.append(.init(name: name.value, from: from, to: to))
        }
        let workdays = (f.strings("workdays") ?? []).compactMap { text -> CivilDate? in
            guard let d = date(text) else { return nil }
            if !d.isWeekend {
                reader.diagnostics.append(.warning("调休上班日 \(d) 本来就是工作日", at: text.location))
            }
            return d
        }
        f.finish()
        guard let year, !reader.diagnostics.contains(where: { $0.severity == .error }) else { return (nil, reader.diagnostics) }
        return (HolidayYear(year: year.value, source: source, holidays: holidays, workdays: workdays), reader.diagnostics)
    }
}
