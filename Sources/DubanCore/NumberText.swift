/// How figures are written everywhere — screens, command output, documents — so they always agree.
public enum NumberText {
    /// 0.9111 → "91.1%"
    public static func percent(_ fraction: Double) -> String {
        oneDecimal(fraction * 100) + "%"
    }

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

    /// 7, 2 → "07"; 2021, 4 → "2021"; 0x1B, 4, radix 16 → "001b": at least `width` digits, zeros in front (dates,
    /// times, code points).
    public static func zeroPadded<N: BinaryInteger>(_ n: N, to width: Int, radix: Int = 10, uppercase: Bool = false) -> String {
        let digits = String(n, radix: radix, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// 8.94 → "8.9", -0.06 → "-0.1": one decimal, the sign kept even below one.
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
