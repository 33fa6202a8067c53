import DubanCore
import Foundation

/// What the lines before the body say: the plan's title, 文号, issuer, date, the notice and its addressees.
struct DocumentHeader {
    var title: String
    var titleLine: Int
    var documentNumber: String?
    var issuer: String
    var issued: CivilDate?
    var noticeTitle: String?
    var notice: String?
    var addresseeLine: (text: String, line: Int)?
    var preamble: String?
}

extension PlanImporter {
    /// A plan's title names what it is (工作要点, 实施方案, 任务分工…) and is not a sentence or the notice's wrapper.
    static func isPlanTitle(_ text: String) -> Bool {
        let endings = ["工作要点", "要点", "方案", "意见", "任务分工", "分工表", "任务清单", "工作计划", "工作安排", "重点任务", "实施细则",
                       "责任分解", "任务分解", "分解表", "工作清单", "责任清单", "提示单"]
        guard text.count <= 80, !text.contains("。"), !text.hasPrefix("关于印发"), !text.hasSuffix("的通知"),
              NumberingLexer.marker(text) == nil else { return false }   // 二、重点任务 is a heading, not a plan
        var t = plainTitle(text)
        while let last = t.last, "》”\"".contains(last) { t.removeLast() }
        return endings.contains { t.hasSuffix($0) }
    }

    /// The 文号 stands on its own line (湘政办发〔2021〕4号, 號 in Traditional copies, [2021] or 【2021】 in web
    /// copies); numbers cited in the text (国办发〔2018〕23号) are inside sentences.
    static func documentNumber(_ text: String) -> String? {
        let t = text.replacingOccurrences(of: " ", with: "")
        guard t.range(of: #"^[\p{Han}]{1,12}[〔\[【(（]\d{4}[〕\]】)）]\s*第?\d{1,4}[号號]$"#, options: .regularExpression) != nil else { return nil }
        return t.replacingOccurrences(of: "號", with: "号")
    }

    static func documentNumberYear(_ number: String) -> Int? {
        number.range(of: #"\d{4}"#, options: .regularExpression).flatMap { Int(number[$0]) }
    }

    static func dateLine(_ text: String) -> CivilDate? {
        let t = withoutLostSpaces(text).replacingOccurrences(of: " ", with: "")
        guard t.range(of: #"^\d{4}年\d{1,2}月\d{1,2}日$"#, options: .regularExpression) != nil else { return nil }
        return date(t)
    }

    mutating func readHeader(_ header: [Paragraph], closing: [Paragraph]) -> DocumentHeader {
        let titleIndex = header.lastIndex { Self.isPlanTitle($0.text) }
        // Without a recognisable title, the first line that is not a 文号, a date, an addressee line or a web page's label.
        var title = titleIndex.map { header[$0].text } ?? header.first { p in
            !p.text.isEmpty && Self.documentNumber(p.text) == nil && Self.dateLine(p.text) == nil && !Self.isAddresseeLine(p)
                && !p.text.hasSuffix("：") && !p.text.hasSuffix(":") && !p.isTableRow
        }?.text ?? "未命名计划"
        // A long title is set on two or three lines; the lines before its last join it until a 文号, date,
        // addressee or issuer line.
        if let index = titleIndex, !Self.beginsTitle(Self.plainTitle(header[index].text)) {
            var start = index
            while start > 0, start > index - 3, Self.continuesTitle(header[start - 1].text) { start -= 1 }
            if start < index { title = header[start...index].map(\.text).joined() }
        }
        title = Self.plainTitle(title)
        let documentNumber = header.lazy.compactMap { Self.documentNumber($0.text) }.first
        // The date stands after the issuer, at the top of a web copy or at the notice's end.
        let dateIndex = header.firstIndex { Self.dateLine($0.text) != nil }
        let closingDate = closing.lastIndex { Self.dateLine($0.text) != nil }
        let issued = dateIndex.flatMap { Self.dateLine(header[$0].text) } ?? closingDate.flatMap { Self.dateLine(closing[$0].text) }
        var issuer = dateIndex.flatMap { $0 > 0 ? Self.issuerText(header[$0 - 1].text) : nil } ?? ""
        if issuer.isEmpty || issuer.count > 40 || Self.isPlanTitle(issuer) || issuer.hasSuffix("：") {
            issuer = header.lazy.map { Self.issuerText($0.text) }.first(where: Self.isIssuer)
                ?? closingDate.flatMap { $0 > 0 && Self.isIssuer(Self.issuerText(closing[$0 - 1].text)) ? Self.issuerText(closing[$0 - 1].text) : nil }
                ?? Self.noticeIssuer(header) ?? ""
        }
        let noticeTitle = header.first { $0.text.contains("关于印发") && $0.text.hasSuffix("的通知") }?.text
        let addresseeIndex = header.firstIndex(where: Self.isAddresseeLine)
        var notice: String?
        if let a = addresseeIndex {
            let end = dateIndex.map { max(a + 1, $0 - 1) } ?? min(header.count, a + 2)
            notice = header[(a + 1)..<max(a + 1, min(end, header.count))].map(\.text).joined(separator: "\n")
        }
        let preambleStart = (titleIndex.map { $0 + 1 }) ?? 0
        let preamble = preambleStart < header.count && preambleStart > (dateIndex ?? -1)
            ? header[preambleStart...].map(\.text).joined(separator: "\n") : nil
        if issuer.isEmpty {
            issuer = "（待补充）"
            warn(header.first?.line ?? 1, "no-issuer", "没有找到发文机关，已写为“（待补充）”，请在计划文件中补充 issuer")
        }
        return DocumentHeader(title: title, titleLine: titleIndex.map { header[$0].line } ?? header.first?.line ?? 1,
                              documentNumber: documentNumber, issuer: issuer, issued: issued, noticeTitle: noticeTitle, notice: notice,
                              addresseeLine: addresseeIndex.map { (String(header[$0].text.dropLast()), header[$0].line) },
                              preamble: preamble)
    }

    /// The title as the plan's own: a web page's label (名称：, • 中文名:) and a 关于印发《…》的通知 wrapper taken off.
    static func plainTitle(_ line: String) -> String {
        var t = line.replacingOccurrences(of: #"^[•·\s]*(中文名|名称|标题|文件名称|文件标题|题目)\s*[:：]\s*"#, with: "", options: .regularExpression)
        if let wrapper = t.range(of: "关于印发"), t.hasSuffix("的通知") {
            t = String(t[wrapper.lowerBound...])
            if let open = t.firstIndex(of: "《"), let close = t[open...].firstIndex(of: "》") {
                t = String(t[t.index(after: open)..<close])
            } else {
                t = String(t.dropFirst(4).dropLast(3))
            }
        }
        return t.trimmingCharacters(in: CharacterSet(charactersIn: "《》“”\" "))
    }

    /// 主送: a short line ending in a colon that lists units (“访问量：” on a web page lists none).
    static func isAddresseeLine(_ p: Paragraph) -> Bool {
        let t = p.text
        guard t.hasSuffix("：") || t.hasSuffix(":"), t.count < 80, !t.contains("。"), !p.isTableRow,
              !t.dropLast().contains(where: { $0 == "：" || $0 == ":" }) else { return false }   // 发布时间:… is a page's label
        return splitNames(String(t.dropLast())).contains(where: looksLikeUnit)
    }

    /// A line that is the first part of a title set on several lines: short, no sentence's punctuation, and not
    /// a 文号, a date, an issuer or an addressee line.
    static func continuesTitle(_ text: String) -> Bool {
        guard text.count <= 40, let last = text.last, ScriptConversion.isHan(last.unicodeScalars.first!), !text.contains("。") else { return false }
        return documentNumber(text) == nil && dateLine(text) == nil && !isIssuer(text) && NumberingLexer.marker(text) == nil
            && !isPlanTitle(text) && !text.hasSuffix("的通知") && !text.contains("：") && !text.contains(":")
    }

    /// A title's first line opens with its year, its place, 关于 or 《 (2020年黄冈市…, 娄底市2021年…); a line that
    /// does not (工作要点的实施方案) is the end of a title set on several lines.
    static func beginsTitle(_ text: String) -> Bool {
        text.range(of: #"^\d{4}年"#, options: .regularExpression) != nil || text.hasPrefix("关于") || text.hasPrefix("《")
            || DivisionTable.place(named: [text]) != nil
    }

    /// A line as an issuer: without a web page's label (• 发布单位:, 来源：) or the spaces a lossy copy turned into "?".
    static func issuerText(_ line: String) -> String {
        withoutLostSpaces(line).replacingOccurrences(of: #"^[•·\s]*(发布单位|发布机构|发文机关|发文单位|印发单位|信息来源|来源)\s*[:：]\s*"#,
                                                     with: "", options: .regularExpression)
    }

    /// Signature and date lines are set off by runs of spaces (U+3000) that a copy in a narrower encoding wrote as "?":
    /// such a run at a line's end is dropped, and trailing spaces with it.
    static func withoutLostSpaces(_ line: String) -> String {
        line.replacingOccurrences(of: #"[?？\s\x{3000}]*\?{2,}[?？\s\x{3000}]*$"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
    }

    /// The office that names itself at the head of the notice: "长乐区人民政府办公室关于贯彻落实…的通知", "市政管局关于印发…",
    /// "辽宁省政务公开领导小组关于印发" (a title set on several lines). The part before 关于, when it is a name (short, no
    /// punctuation) and the line is a notice's or a plan's title.
    static func noticeIssuer(_ header: [Paragraph]) -> String? {
        for p in header.prefix(8) {
            guard let about = p.text.range(of: "关于") else { continue }
            let name = p.text[..<about.lowerBound].trimmingCharacters(in: .whitespaces)
            let rest = p.text[about.upperBound...]
            guard (2...30).contains(name.count), !name.contains(where: { "，。、；：:,;（(《“\"".contains($0) }),
                  rest.isEmpty || ["印发", "贯彻", "落实", "实施", "做好", "推进", "通知", "方案", "要点"].contains(where: { rest.contains($0) })
            else { continue }
            return name
        }
        return nil
    }

    static func isIssuer(_ text: String) -> Bool {
        text.count <= 40 && !text.contains("。") && ["办公室", "办公厅", "人民政府", "领导小组", "委员会", "管理局", "公开办"].contains { text.hasSuffix($0) }
    }

    /// The plan year, from the title, else the 文号, else the date — never from the clock.
    func planYear(_ header: DocumentHeader) throws -> (year: Int, from: String) {
        if let year = options.year { return (year, "--year") }
        if let year = Self.year(header.title) { return (year, "标题") }
        if let number = header.documentNumber, let year = Self.documentNumberYear(number) { return (year, "文号") }
        if let issued = header.issued { return (issued.year, "成文日期") }
        throw ImportError.noYear("标题“\(header.title)”、文号和成文日期")
    }

    static func date(_ text: String) -> CivilDate? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard digits.count >= 3 else { return nil }
        return CivilDate(year: digits[0], month: digits[1], day: digits[2])
    }

    /// The year a title is for: the first of a range (2016-2020年 → 2016).
    static func year(_ title: String) -> Int? {
        title.range(of: #"(19|20)\d{2}(?=(年|\s*[-—–－~～至到]\s*(19|20)\d{2}年))"#, options: .regularExpression).flatMap { Int(title[$0]) }
    }
}
