import DubanCore

/// Numbers and dates as a government office writes them.
public enum OfficeText {
    static let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 1 → 一, 10 → 十, 16 → 十六, 20 → 二十, 99 → 九十九 (larger numbers in Arabic digits).
    public static func chinese(_ n: Int) -> String {
        switch n {
        case 0..<10: return digits[n]
        case 10..<20: return "十" + (n == 10 ? "" : digits[n - 10])
        case 20..<100: return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
        default: return String(n)
        }
    }

    /// 成文日期 in Arabic numerals (GB/T 9704-2012): 2022年3月31日.
    public static func date(_ d: CivilDate) -> String { d.chinese }

    /// Text in quotation marks as Chinese documents nest them: double marks outside, single inside
    /// (“做好‘三高四新’战略实施信息公开”), whatever marks the text itself used.
    public static func quoted(_ text: String) -> String {
        var inner = ""
        for ch in text {
            switch ch {
            case "“": inner.append("‘")
            case "”": inner.append("’")
            default: inner.append(ch)
            }
        }
        return "“" + inner + "”"
    }


    /// 甲、乙和丙
    public static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: "、") + "和" + names.last!
    }
}
