/// The level markers Chinese official documents number their paragraphs with. GB/T 9704 prescribes
/// 一、 → （一） → 1. → （1） for the four levels of headings, but offices also write 1、 1． 1﹒ (一) ① and
/// 第一， and some skip levels, so the level of a marker is not fixed: the outline builder infers it from
/// the order in which the styles first appear.
enum MarkerStyle: String, Hashable, Sendable {
    /// 第一部分 / 第一章: parts of a long document.
    case part
    /// 一、
    case chineseComma
    /// （一） or (一)
    case chineseParen
    /// 第一， / 第一、 at the start of a paragraph
    case ordinalWord
    /// 1. 1． 1﹒ (one style: full- and half-width points are the same mark typed differently)
    case arabicPoint
    /// 1、
    case arabicComma
    /// （1） or (1)
    case arabicParen
    /// ①
    case circled
    /// A short unnumbered line standing as a heading between numbered paragraphs.
    case heading
    /// A row of a task-split table.
    case tableRow
    /// An unnumbered paragraph that a line of units closes: a task (a table copied out cell by cell).
    case unnumbered
}

struct Marker: Equatable, Sendable {
    let style: MarkerStyle
    let ordinal: Int
    /// As written, for the plan's `number` (（七）, 1﹒).
    let written: String
}

enum NumberingLexer {
    static let numerals: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                                              "〇": 0, "零": 0, "两": 2]

    /// 一 … 九十九, as written in numbering (十一, 二十, 二十三).
    static func chineseNumber<S: Collection>(_ text: S) -> Int? where S.Element == Character {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ numerals[$0] != nil }), !text.contains("两") || text.count == 1 else { return nil }
        let values = text.map { numerals[$0]! }
        switch values.count {
        case 1 where values[0] > 0: return values[0]
        case 2 where values[0] == 10 && values[1] < 10 && values[1] > 0: return 10 + values[1]
        case 2 where values[1] == 10 && values[0] > 1 && values[0] < 10: return values[0] * 10
        case 3 where values[1] == 10 && values[0] > 1 && values[0] < 10 && values[2] > 0 && values[2] < 10: return values[0] * 10 + values[2]
        default: return nil
        }
    }

    /// The marker a paragraph opens with, and the text after it.
    static func marker(_ line: String) -> (Marker, String)? {
        let chars = Array(line)
        guard let first = chars.first else { return nil }
        func rest(from i: Int) -> String { String(chars[min(i, chars.count)...]).trimmingCharacters(in: .whitespaces) }

        // 第一部分 / 第一章 / 第一，
        if first == "第" {
            var j = 1
            while j < chars.count, j <= 3, numerals[chars[j]] != nil { j += 1 }
            if j > 1, let n = chineseNumber(chars[1..<j]) {
                let after = String(chars[j...].prefix(2))
                if after.hasPrefix("部分") { return (Marker(style: .part, ordinal: n, written: String(chars[0..<(j + 2)])), rest(from: j + 2)) }
                if after.hasPrefix("章") { return (Marker(style: .part, ordinal: n, written: String(chars[0...j])), rest(from: j + 1)) }
                if j < chars.count, "，,、：".contains(chars[j]) {
                    return (Marker(style: .ordinalWord, ordinal: n, written: String(chars[0...j])), rest(from: j + 1))
                }
            }
            return nil
        }
        // 一、
        if numerals[first] != nil {
            var j = 0
            while j < chars.count, j < 3, numerals[chars[j]] != nil { j += 1 }
            if j < chars.count, chars[j] == "、", let n = chineseNumber(chars[0..<j]) {
                return (Marker(style: .chineseComma, ordinal: n, written: String(chars[0...j])), rest(from: j + 1))
            }
            return nil
        }
        // （一） (一) （1） (1)
        if first == "（" || first == "(" {
            var j = 1
            while j < chars.count, j <= 4, chars[j] != "）" && chars[j] != ")" { j += 1 }
            guard j < chars.count, j > 1, chars[j] == "）" || chars[j] == ")" else { return nil }   // （2023年底前完成） is text
            let inner = String(chars[1..<j]).trimmingCharacters(in: .whitespaces)
            let written = String(chars[0...j])
            if let n = chineseNumber(inner) { return (Marker(style: .chineseParen, ordinal: n, written: written), rest(from: j + 1)) }
            if let n = Int(inner), inner.allSatisfy(\.isASCII), n > 0 {
                return (Marker(style: .arabicParen, ordinal: n, written: written), rest(from: j + 1))
            }
            return nil
        }
        // ① … ⑳
        if let v = first.unicodeScalars.first?.value, (0x2460...0x2473).contains(v) {
            return (Marker(style: .circled, ordinal: Int(v - 0x2460) + 1, written: String(first)), rest(from: 1))
        }
        // 1. 1． 1﹒ 1、 (a number that is not a quantity: 1.5亿 and 2023年 are text)
        if first.isASCII, first.isNumber {
            var j = 0
            while j < chars.count, j < 3, chars[j].isASCII, chars[j].isNumber { j += 1 }
            guard j < 3, j < chars.count, let n = Int(String(chars[0..<j])), n > 0 else { return nil }
            var k = j
            while k < chars.count, chars[k] == " " { k += 1 }
            guard k < chars.count else { return nil }
            let mark = chars[k]
            let next = k + 1 < chars.count ? chars[k + 1] : " "
            if next.isASCII && next.isNumber { return nil }
            switch mark {
            case ".", "．", "﹒", "。":
                return (Marker(style: .arabicPoint, ordinal: n, written: String(chars[0...k])), rest(from: k + 1))
            case "、":
                return (Marker(style: .arabicComma, ordinal: n, written: String(chars[0...k])), rest(from: k + 1))
            default: return nil
            }
        }
        return nil
    }

    /// Markers written inside a paragraph to count its parts: 一是……二是……, ①……②……, （1）……（2）……, 第一，……第二，……
    /// A run counts only when it goes at least to its second member, in order.
    static func inlineRuns(_ text: String) -> [(number: String, range: Range<String.Index>)] {
        let families: [(Int) -> [String]] = [
            { n in [Self.chinese(n) + "是"] },
            { n in n <= 20 ? [String(Character(Unicode.Scalar(0x2460 + UInt32(n - 1))!))] : [] },
            { n in ["（\(n)）", "(\(n))"] },
            { n in ["第" + Self.chinese(n) + "，", "第" + Self.chinese(n) + ","] },
        ]
        var best: [(number: String, range: Range<String.Index>)] = []
        for family in families {
            var found: [(number: String, range: Range<String.Index>)] = []
            var from = text.startIndex
            var n = 1
            while n <= 20 {
                let candidates = family(n).compactMap { text.range(of: $0, range: from..<text.endIndex) }
                guard let r = candidates.min(by: { $0.lowerBound < $1.lowerBound }) else { break }
                found.append((String(text[r]), r))
                from = r.upperBound
                n += 1
            }
            if found.count >= 2 && found.count > best.count { best = found }
        }
        return best
    }

    static func chinese(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 1...9: return digits[n]
        case 10: return "十"
        case 11...19: return "十" + digits[n - 10]
        default: return digits[n / 10] + "十" + digits[n % 10]
        }
    }
}
