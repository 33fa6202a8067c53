/// Text from files and users is shown, never obeyed: control characters and bidi overrides are made
/// visible (`\u{1B}` → `␛`-style escapes) before anything reaches a terminal or a text export.
public enum SafeText {
    public static func escaped(_ text: String, keepNewlines: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if keepNewlines && v == 0x0A {
                out.unicodeScalars.append(scalar)
            } else if v == 0x0A {
                // A note may hold line breaks (a clerk pressed Enter): on one line they read as ／, as Chinese text
                // quoted inline marks them, not as a code.
                out += "／"
            } else if v == 0x09 {
                out += " "
            } else if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || isBidiControl(v) || isLineSeparator(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A character no stored text may hold: C0 controls other than tab and line feed, DEL, C1, and the bidi
    /// controls that reorder what is shown. Plan files, imports and updates all refuse or drop these.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09 && v != 0x0A) || v == 0x7F || (0x80..<0xA0).contains(v) || isBidiControl(v)
    }

    /// U+0007, for messages that name such a character.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + NumberText.zeroPadded(scalar.value, to: 4, radix: 16, uppercase: true)
    }

    /// U+2028 and U+2029 break lines in some readers (and in JavaScript strings): shown, not obeyed.
    public static func isLineSeparator(_ v: UInt32) -> Bool { v == 0x2028 || v == 0x2029 }

    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }
}
