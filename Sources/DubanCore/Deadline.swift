/// When a node is due, and why: the phrase it came from, or where it was inherited from.
public struct Deadline: Sendable, Equatable, Codable {
    public enum Origin: Sendable, Equatable, Codable {
        /// A phrase in the node's own text.
        case text
        /// Set in the plan file (e.g. a date stated in another part of the document); `note` says where.
        case explicit(note: String?)
        /// The parent's deadline.
        case inherited(from: String)
        /// No deadline anywhere up the tree: the plan year's last day.
        case planYearEnd
    }

    public let date: CivilDate
    /// The phrase as written (`2021年底前`, `于8月底前`); nil when defaulted to the year's end.
    public let phrase: String?
    public let origin: Origin

    public init(date: CivilDate, phrase: String?, origin: Origin) {
        self.date = date
        self.phrase = phrase
        self.origin = origin
    }
}

/// A standing response-time rule found in a text (`24小时内`, `20个工作日内`): it applies each time
/// something happens, so it is not a one-off deadline.
public struct StandingRule: Sendable, Equatable, Codable {
    public enum Unit: String, Sendable, Codable { case hours, days, workingDays }
    public let phrase: String
    public let amount: Int
    public let unit: Unit
}

/// A deadline phrase found in a text, with the date it means for a given plan year.
public struct DeadlineMention: Sendable, Equatable {
    public let phrase: String
    public let date: CivilDate
}

/// Reads deadline phrases out of official Chinese text.
public enum DeadlineParser {
    /// Every deadline phrase in `text`, in order. Bare months (`7月底前`) and bare `年底前` / `年内` belong to
    /// `planYear`. Years inside document numbers (`国办发〔2017〕94号`) are not deadlines.
    public static func mentions(in text: String, planYear: Int) -> [DeadlineMention] {
        let chars = Array(normalizingDigits(text).unicodeScalars)
        var found: [DeadlineMention] = []
        var i = 0
        while i < chars.count {
            // Only these can begin a phrase; checking first keeps long texts cheap.
            if Self.phraseStarts.contains(chars[i]) || chars[i].isASCIIDigitChar,
               let (mention, length) = mention(at: i, in: chars, planYear: planYear) {
                found.append(mention)
                i += length
            } else {
                i += 1
            }
        }
        return found
    }

    /// Whether the text names a deadline at all (the year only dates a phrase; whether one is there does not depend on it).
    public static func containsDeadline(_ text: String) -> Bool { !mentions(in: text, planYear: 2000).isEmpty }

    /// The latest deadline in the text: a work point with stages is due when its last stage is.
    public static func latest(in text: String, planYear: Int) -> DeadlineMention? {
        mentions(in: text, planYear: planYear).max { $0.date < $1.date }
    }

    /// Parses a deadline given on its own (a plan file's `deadline:`): `2022年7月底前`, `年底前`, or `YYYY-MM-DD`.
    public static func parse(_ phrase: String, planYear: Int) -> DeadlineMention? {
        let trimmed = phrase.trimmingSpaces
        if let date = CivilDate(iso: trimmed) { return DeadlineMention(phrase: trimmed, date: date) }
        let all = mentions(in: trimmed, planYear: planYear)
        guard all.count == 1, all[0].phrase.count >= trimmed.count - 1 else { return nil }
        return all[0]
    }

    public static func standingRules(in text: String) -> [StandingRule] {
        let chars = Array(normalizingDigits(text).unicodeScalars)
        var rules: [StandingRule] = []
        var i = 0
        while i < chars.count {
            guard chars[i].isASCIIDigitChar, i == 0 || !chars[i - 1].isASCIIDigitChar else { i += 1; continue }
            var j = i
            while j < chars.count, chars[j].isASCIIDigitChar { j += 1 }
            let amount = Int(Self.text(chars[i..<j])) ?? 0
            let rest = Self.text(chars[j..<min(chars.count, j + 5)])
            let forms: [(String, StandingRule.Unit)] = [("小时内", .hours), ("个工作日内", .workingDays), ("工作日内", .workingDays),
                                                         ("个自然日内", .days), ("日内", .days), ("天内", .days)]
            if let (suffix, unit) = forms.first(where: { rest.hasPrefix($0.0) }) {
                rules.append(StandingRule(phrase: Self.text(chars[i..<j]) + suffix, amount: amount, unit: unit))
                i = j + suffix.unicodeScalars.count
            } else {
                i = j
            }
        }
        return rules
    }

    // MARK: - scanning

    private static func mention(at start: Int, in c: [Unicode.Scalar], planYear: Int) -> (DeadlineMention, Int)? {
        var i = start
        func peek(_ s: String) -> Bool { peekAfter(c, i, s) }
        func number(maxDigits: Int) -> Int? {
            var j = i
            while j < c.count, c[j].isASCIIDigitChar, j - i < maxDigits { j += 1 }
            guard j > i, j == c.count || !c[j].isASCIIDigitChar else { return nil }
            defer { i = j }
            return Int(Self.text(c[i..<j]))
        }
        let precededByDigit = start > 0 && (c[start - 1].isASCIIDigitChar || chineseNumerals.contains(c[start - 1]))
        let precededByBracket = start > 0 && "〔[【（(".unicodeScalars.contains(c[start - 1])
        let prefix = peek("于") ? 1 : 0
        i += prefix

        var year = planYear
        var explicitYear = false
        if let y = number(maxDigits: 4) {
            if c.indices.contains(i), c[i] == "年", (1900...2100).contains(y), !precededByBracket, !precededByDigit || prefix == 1 {
                year = y
                explicitYear = true
                i += 1
            } else {
                i = start + prefix  // not a year: maybe a month
            }
        }
        if !explicitYear && precededByDigit && prefix == 0 { return nil }

        guard i < c.count else { return nil }
        if i > 0, c[i - 1] == "每" { return nil }   // 每季度, 每半年: a rhythm, not a deadline
        if let (date, length) = period(c, i, year: year) {
            let end = i + length
            return (DeadlineMention(phrase: Self.text(c[start..<end]), date: date), end - start)
        }
        // 年底前 / 年内 (bare, or after an explicit year: 2021年底前, 2021年内)
        if explicitYear || c[i] == "年" {
            let afterYear = explicitYear ? i : i + 1
            i = afterYear
            if peek("底前") || peek("底") {
                let length = peek("底前") ? 2 : 1
                // 年底 alone ("年底召开") is not a deadline; 年底前 and 年底完成 are.
                if length == 2 || peek("底完成") {
                    let end = i + length
                    return (DeadlineMention(phrase: Self.text(c[start..<end]), date: .endOfYear(year)), end - start)
                }
                return nil
            }
            if peek("内") && (explicitYear || !precededByDigit) {
                let end = i + 1
                return (DeadlineMention(phrase: Self.text(c[start..<end]), date: .endOfYear(year)), end - start)
            }
            if peek("上半年") { return nil }
            if !explicitYear { return nil }
        }
        // [year年]M月底前 / M月D日前
        guard i < c.count else { return nil }
        guard let month = number(maxDigits: 2) ?? chineseMonth(&i, c), (1...12).contains(month), i < c.count, c[i] == "月" else {
            return nil
        }
        i += 1
        if peek("底前") || peek("末前") || peek("底") && !peek("底线") {
            let length = peek("底前") || peek("末前") ? 2 : 1
            let end = i + length
            return (DeadlineMention(phrase: Self.text(c[start..<end]), date: .lastDay(ofMonth: month, year: year)), end - start)
        }
        // 11月中旬前: the 10th, 20th or last day of the month.
        for (part, day) in [("上旬", 10), ("中旬", 20), ("下旬", 0)] where peek(part) {
            guard let closing = ["前", "内", "完成"].first(where: { peekAfter(c, i + 2, $0) }) else { return nil }
            let end = i + 2 + (closing == "完成" ? 0 : 1)
            let date = day == 0 ? CivilDate.lastDay(ofMonth: month, year: year) : CivilDate(year: year, month: month, day: day)!
            return (DeadlineMention(phrase: Self.text(c[start..<end]), date: date), end - start)
        }
        if let day = number(maxDigits: 2), i < c.count, c[i] == "日", peekAfter(c, i + 1, "前"),
           let date = CivilDate(year: year, month: month, day: day) {
            let end = i + 2
            return (DeadlineMention(phrase: Self.text(c[start..<end]), date: date), end - start)
        }
        return nil
    }

    private static func peekAfter(_ c: [Unicode.Scalar], _ index: Int, _ s: String) -> Bool {
        var j = index
        for ch in s.unicodeScalars {
            guard j < c.count, c[j] == ch else { return false }
            j += 1
        }
        return true
    }

    private static let phraseStarts: Set<Unicode.Scalar> = ["于", "年", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                                            "上", "下", "前", "第"]

    /// Parts of the year offices set as deadlines, and the day each ends: 上半年 (6-30), 前三季度 (9-30),
    /// 三季度 / 第三季度 (9-30)… Only with a word that makes them a deadline (前, 末, 底, 内, 完成), since
    /// “上半年召开” or “每季度” are not.
    private static func period(_ c: [Unicode.Scalar], _ i: Int, year: Int) -> (CivilDate, Int)? {
        let periods: [(String, Int)] = [("上半年", 6), ("下半年", 12), ("前三季度", 9),
                                        ("第一季度", 3), ("第二季度", 6), ("第三季度", 9), ("第四季度", 12),
                                        ("一季度", 3), ("二季度", 6), ("三季度", 9), ("四季度", 12)]
        guard let (word, month) = periods.first(where: { peekAfter(c, i, $0.0) }) else { return nil }
        let after = i + word.unicodeScalars.count
        guard let closing = ["末前", "底前", "末", "底", "前", "内", "完成"].first(where: { peekAfter(c, after, $0) }) else { return nil }
        let length = word.unicodeScalars.count + (closing == "完成" ? 0 : closing.unicodeScalars.count)
        return (CivilDate.lastDay(ofMonth: month, year: year), length)
    }

    private static let chineseNumerals: Set<Unicode.Scalar> = ["一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十"]

    private static func chineseMonth(_ i: inout Int, _ c: [Unicode.Scalar]) -> Int? {
        guard i < c.count, chineseNumerals.contains(c[i]) else { return nil }
        let names = ["十二", "十一", "十", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        let values = [12, 11, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        for (name, value) in zip(names, values) {
            if peekAfter(c, i, name + "月") {
                i += name.unicodeScalars.count
                return value
            }
        }
        return nil
    }

    /// Full-width digits (２０２１) read as ASCII ones.
    static func normalizingDigits(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF10...0xFF19).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            out.append((0xFF10...0xFF19).contains(v) ? Unicode.Scalar(v - 0xFF10 + 0x30)! : scalar)
        }
        return String(out)
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

extension Character {
    var isASCIIDigitChar: Bool { isASCII && isNumber }
}

extension Unicode.Scalar {
    var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
}

extension String {
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
