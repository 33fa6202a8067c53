import DubanCore

/// Where 发文机关署名 and 成文日期 stand, in characters from the right margin (GB/T 9704-2012 7.3.5).
/// Unsealed: the signature two characters in, the date under it with its first character two to the right of the
/// signature's first; a date longer than that allows goes two characters in and pushes the signature left.
/// Sealed: the date four characters in, the signature centred over it.
struct SignatureLayout: Equatable {
    let signature: Int
    let date: Int

    init(signature: Int, date: Int) {
        self.signature = signature
        self.date = date
    }

    init(signature: String, date: String, sealed: Bool) {
        let measure = DisplayWidth()
        // Characters as 3号 full-width cells (two display columns each), rounded up.
        let s = (measure.of(signature) + 1) / 2
        let d = (measure.of(date) + 1) / 2
        if sealed {
            self.date = 4
            self.signature = max(0, 4 + (d - s) / 2)
        } else if s - 2 - d >= 0 {
            self.signature = 2
            self.date = 2 + s - 2 - d
        } else {
            self.date = 2
            self.signature = 2 + d + 2 - s
        }
    }
}
