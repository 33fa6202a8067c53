/// How figures are written everywhere — screens, command output, documents — so they always agree.
public enum NumberText {
    /// 0.9111 → "91.1%"
    public static func percent(_ fraction: Double) -> String {
        oneDecimal(fraction * 100) + "%"
    }

    /// 8.94 → "8.9", -0.06 → "-0.1": one decimal, the sign kept even below one.
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
