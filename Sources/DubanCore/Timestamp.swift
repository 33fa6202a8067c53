/// When a record was written, as text: ISO 8601 with milliseconds and the UTC offset of the clock it was read from
/// (2026-11-21T09:30:00.123+08:00; `Z` at UTC) — the form ISO8601DateFormatter wrote, which built an ICU date formatter,
/// a twentieth of an update, on every call.
public enum Timestamp {
    public static func iso8601(secondsSinceEpoch: Int, milliseconds: Int, utcOffsetSeconds offset: Int) -> String {
        let local = secondsSinceEpoch + offset
        let day = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let second = local - day * 86_400
        func two(_ n: Int) -> String { NumberText.zeroPadded(n, to: 2) }
        var text = "\(CivilDate(dayNumber: day))T\(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60))."
            + NumberText.zeroPadded(milliseconds, to: 3)
        if offset == 0 {
            text += "Z"
        } else {
            let magnitude = abs(offset)
            text += (offset < 0 ? "-" : "+") + two(magnitude / 3600) + ":" + two(magnitude % 3600 / 60)
        }
        return text
    }
}
