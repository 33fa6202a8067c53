import Foundation

/// Who a work point assigns, in the forms official documents use:
/// - a trailing clause: （市发改委牵头，市数据资源管理局，各区县（市）人民政府按职责分工负责）;
/// - a clause in mid-paragraph, after the sentence it governs: （市规划国土委负责落实）;
/// - a sentence: 市发改委、市财政局等部门按职责分工负责。;
/// - labels: 牵头单位：市发改委；责任单位：各县市区人民政府;
/// - table columns (read by the table reader) and clauses for everything that follows (……均为责任单位，以下不再列出).
struct Responsibility: Equatable {
    var lead: [String] = []
    var responsible: [String] = []
    /// The clause(s) as written.
    var clauses: [String] = []

    var isEmpty: Bool { lead.isEmpty && responsible.isEmpty }

    mutating func merge(_ other: Responsibility) {
        for name in other.lead where !lead.contains(name) { lead.append(name) }
        for name in other.responsible where !responsible.contains(name) && !lead.contains(name) { responsible.append(name) }
        clauses += other.clauses
    }
}

extension PlanImporter {
    /// Words that give a unit its role. 牵头 makes it the lead; 负责/配合/参与/协助 make it responsible.
    static let roleWords = ["牵头", "负责", "配合", "参与", "协助", "协同", "落实", "责任单位", "承办", "责任科室", "责任处室"]

    /// An item's text → its text without a trailing clause, and what every form in it says.
    /// `owners`: whether a heading's “……负责落实的工作任务” counts (it names who does the tasks below it, not itself).
    static func responsibility(in text: String, owners: Bool = true) -> (text: String, responsibility: Responsibility, trailing: String?) {
        var (body, trailing) = splitUnitClause(text)
        var result = Responsibility()
        if let trailing, let parsed = parseUnitClause(trailing, strict: false) {
            result.merge(parsed)
        } else if trailing != nil {
            body = text
            trailing = nil
        }
        for clause in inlineClauses(body) {
            if let parsed = parseUnitClause(clause) { result.merge(parsed) }
        }
        for sentence in sentences(body) {
            if let parsed = labelled(sentence) ?? listSentence(sentence) ?? (owners ? taskOwners(sentence) : nil) { result.merge(parsed) }
        }
        return (body, result, trailing)
    }

    /// Splits a trailing （…牵头，…负责） off an item's text: (text, clause).
    static func splitUnitClause(_ text: String) -> (String, String?) {
        var trimmed = text
        while let last = trimmed.last, "。；;，, ".contains(last) { trimmed.removeLast() }
        guard let start = Brackets.trailingGroup(in: trimmed) else { return (text, nil) }
        let clause = String(trimmed[start...])
        guard roleWords.contains(where: { clause.contains($0) }) else { return (text, nil) }
        return (String(trimmed[..<start]), clause)
    }

    /// Bracketed clauses inside a paragraph that name units and their role (（市规划国土委负责落实）, 〔牵头单位：…〕).
    static func inlineClauses(_ text: String) -> [String] {
        Brackets.groups(in: text).map { String(text[$0]) }.filter { clause in
            roleWords.contains(where: { clause.contains($0) }) && parseUnitClause(clause) != nil
        }
    }

    /// （市发改委牵头，市数据资源管理局，各区县（市）人民政府按职责分工负责） → lead, responsible; nil when
    /// what is in the parentheses is not a list of units (（含负责人）, （牵头抓总）).
    /// A trailing clause is read leniently (any name), since its place already says it names units.
    static func parseUnitClause(_ clause: String, strict: Bool = true) -> Responsibility? {
        var inner = clause
        if let first = inner.first, Brackets.isOpening(first) { inner.removeFirst() }
        if let last = inner.last, Brackets.isClosing(last) { inner.removeLast() }
        var result = Responsibility(clauses: [clause])
        var parts: [String] = []
        for sentence in splitTopLevel(inner, at: ["。", "；", ";"]) {
            // “……均为责任单位，以下不再列出” inside the clause: those units are responsible here too.
            if let standing = standingResponsibility(in: sentence) {
                result.merge(Responsibility(responsible: standing))
            } else if labelled(sentence) != nil {
                parts.append(sentence)   // 牵头单位：甲，乙，丙 — the commas separate names under one label
            } else {
                parts += splitTopLevel(sentence, at: ["，", ","])
            }
        }
        // Even a trailing clause must give a role after its names (（含负责人信息） gives none).
        guard strict || parts.contains(where: { part in unitNames(in: part) != splitNames(part) || labelled(part) != nil }) else { return nil }
        for part in parts {
            if let labelled = labelled(part) {
                result.merge(Responsibility(lead: labelled.lead, responsible: labelled.responsible))
                continue
            }
            // 牵头 gives the role when it follows the names (“市发改委牵头”, “……分别牵头落实”); inside a name
            // (重点场景应用建设牵头单位) it does not.
            let isLead = part.range(of: #"牵头(负责|落实|实施|抓总|推进)?$"#, options: .regularExpression) != nil || part.hasPrefix("牵头单位")
            let names = unitNames(in: part)
            guard !names.isEmpty, !strict || names.allSatisfy(looksLikeUnit) else { return nil }
            if isLead { result.lead += names } else { result.responsible += names }
        }
        return result.isEmpty ? nil : result
    }

    /// 牵头单位：市发改委；责任单位：市财政局、各县市区人民政府 (also in a clause or a table cell's text).
    static func labelled(_ text: String) -> Responsibility? {
        guard text.contains("单位") || text.contains("部门"), let regex = labelPattern else { return nil }
        var result = Responsibility()
        let ns = text as NSString
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let label = ns.substring(with: match.range(at: 1))
            var value = ns.substring(with: match.range(at: 2))
            // A label inside brackets ends where they close: “(牵头单位:区发改委;责任单位:各街道)”.
            value = Brackets.untilUnbalancedClose(value)
            // The next field may follow after a comma: 牵头单位：甲，责任单位：乙 / 责任单位：甲，完成时限：全年
            if let next = value.range(of: #"[，,]\s*[^，,；;：:、]{2,6}[:：]"#, options: .regularExpression) { value = String(value[..<next.lowerBound]) }
            let names = unitNames(in: value).filter(looksLikeUnit)
            if label.hasPrefix("牵头") || label.hasPrefix("主责") { result.lead += names } else { result.responsible += names }
            result.clauses.append(ns.substring(with: match.range))
        }
        return result.isEmpty ? nil : result
    }

    static let labelPattern = try? NSRegularExpression(
        pattern: #"(牵头单位|主责单位|责任单位|配合单位|参与单位|协助单位|实施单位|负责单位|责任部门|牵头部门|配合部门)\s*[:：]\s*([^；;。]+)"#)

    /// A sentence that is nothing but a list of units and their role: 市发改委、市财政局等部门按职责分工负责。
    static func listSentence(_ sentence: String) -> Responsibility? {
        var s = sentence
        while let last = s.last, "。；;，, ".contains(last) { s.removeLast() }
        guard s.count <= 120, roleWords.contains(where: { s.hasSuffix($0) || s.hasSuffix($0 + "实施") || s.hasSuffix($0 + "落实") }) else { return nil }
        if s.hasPrefix("由") { s.removeFirst() }
        guard let parsed = parseUnitClause("（\(s)）") else { return nil }
        return Responsibility(lead: parsed.lead, responsible: parsed.responsible, clauses: [sentence])
    }

    /// A heading over a table of tasks that says whose they are: “各区、县（市）政府、市政府各部门负责落实的工作任务”.
    static func taskOwners(_ sentence: String) -> Responsibility? {
        guard let r = sentence.range(of: #"(牵头负责|负责落实|牵头落实|牵头|负责|承担|落实)的(重点)?(工作)?任务(清单|明细)?$"#, options: .regularExpression),
              r.lowerBound > sentence.startIndex else { return nil }
        let names = unitNames(in: String(sentence[..<r.lowerBound]))
        guard !names.isEmpty, names.allSatisfy(looksLikeUnit) else { return nil }
        let lead = sentence[r].hasPrefix("牵头")
        return Responsibility(lead: lead ? names : [], responsible: lead ? [] : names, clauses: [sentence])
    }

    /// “……均为责任单位，以下不再列出”: units responsible for every work point after it.
    /// Also “以下均需各区县人民政府负责，不再列出”.
    static func standingResponsibility(in text: String) -> [String]? {
        for marker in ["均为责任单位", "均为各项工作的责任单位", "均为各项任务的责任单位", "为各项工作的责任单位"] {
            guard let range = text.range(of: marker) else { continue }
            var before = String(text[..<range.lowerBound])
            if let cut = before.lastIndex(where: { "。；;：:（(".contains($0) }) { before = String(before[before.index(after: cut)...]) }
            let names = unitNames(in: before).filter(looksLikeUnit)
            return names.isEmpty ? nil : names
        }
        if let range = text.range(of: #"以下(各项)?(工作|任务)?均(需|由|为)[^，,。；]+?(负责|落实|承担)"#, options: .regularExpression) {
            var span = String(text[range])
            for verb in ["以下", "各项", "工作", "任务", "均需", "均由", "均为"] { span = span.replacingOccurrences(of: verb, with: "") }
            let names = unitNames(in: span).filter(looksLikeUnit)
            return names.isEmpty ? nil : names
        }
        return nil
    }

    /// “列第一位者为牵头单位，下同”: in the lists after it, the first unit named leads.
    static func firstNamedLeads(_ text: String) -> Bool {
        text.range(of: #"(列|排)(在)?(第一位|首位)(者|的)?(单位)?为牵头"#, options: .regularExpression) != nil
    }

    /// Remarks in parentheses after a name (（见附件1，下同）, （列第一位者为牵头单位）) are not part of it.
    static func withoutRemarks(_ name: String) -> String {
        var n = name
        while let open = Brackets.trailingGroup(in: n) {
            let remark = n[open...]
            guard ["见", "下同", "附件", "以下", "牵头", "汇总", "列第"].contains(where: { remark.contains($0) }) else { break }
            n = String(n[..<open]).trimmingCharacters(in: .whitespaces)
        }
        return n
    }

    /// Unit names in a clause part, with the role wording taken off: “市发改委、市财政局等部门按职责分工负责” → [市发改委, 市财政局].
    static func unitNames(in part: String) -> [String] {
        var p = part.trimmingCharacters(in: .whitespaces)
        for prefix in ["由", "请", "并由", "其中"] where p.hasPrefix(prefix) { p.removeFirst(prefix.count) }
        let roleTails = ["按照职责分工负责", "按职责分工负责", "按职责牵头负责", "按职责分工落实", "按职责负责", "分别负责落实", "分别牵头负责",
                         "负责组织实施", "负责贯彻落实", "具体负责", "共同负责", "牵头负责", "负责落实", "负责实施", "分别负责", "组织实施",
                         "牵头", "负责", "配合", "参与", "协助", "协同", "落实", "实施", "承办", "按职责分工", "按职责", "分别", "共同", "具体"]
        let groupTails = ["等相关单位", "等有关单位", "等相关部门", "等有关部门", "等市直部门", "等单位", "等部门", "等"]
        var changed = true
        while changed {
            changed = false
            for tail in roleTails + groupTails where p.hasSuffix(tail) && p.count > tail.count {
                p.removeLast(tail.count)
                changed = true
                break
            }
        }
        // “区商务局等数字经济工作领导小组成员单位”: the list, then the group it belongs to.
        var names: [String] = []
        for name in splitNames(p).map(withoutRemarks) where !name.isEmpty {
            if let deng = name.range(of: "等"), deng.lowerBound > name.startIndex, looksLikeUnit(String(name[..<deng.lowerBound])),
               looksLikeUnit(String(name[deng.upperBound...])), name[deng.upperBound...].count >= 4 {
                names += [String(name[..<deng.lowerBound]), String(name[deng.upperBound...])]
            } else {
                names.append(name)
            }
        }
        return names
    }

    /// 甲、乙 → [甲, 乙], keeping compound collectives whole: 市政府各委、办、局 and 各市州、县市区人民政府 are one
    /// name each (a fragment of one character, or a 各… fragment that is not yet a unit, belongs to its neighbour).
    /// 和 is left to resolution: it is part of many names (市自然资源和规划局).
    static func splitNames(_ text: String) -> [String] {
        var names: [String] = []
        let fragments = splitTopLevel(text, at: ["、", "，", ","])
        var i = 0
        while i < fragments.count {
            var fragment = fragments[i]
            // A fragment that names places but no body shares the body word of the next (各市州、县市区人民政府;
            // 示范区、园区管委会): one collective.
            if isPlaceOnly(fragment) {
                var j = i + 1
                while j < fragments.count, isPlaceOnly(fragments[j]), !fragments[j].hasPrefix("各") { j += 1 }
                if j < fragments.count, sharesBody(fragments[j]), !fragments[j].hasPrefix("各") {
                    fragment = fragments[i...j].joined(separator: "、")   // 各县、市、区人民政府
                    i = j
                }
            }
            // 各 distributes over the short names after it: 各乡、街办、管理处 is one collective.
            let distributes = fragment.hasPrefix("各") && fragment.count <= 3
            while distributes, i + 1 < fragments.count, fragments[i + 1].count <= 3, !fragments[i + 1].hasPrefix("各") {
                fragment += "、" + fragments[i + 1]
                i += 1
            }
            // 县直、驻县有关单位: a fragment that is no unit shares the tail of the next.
            if !looksLikeUnit(fragment), !isPlaceOnly(fragment), !fragment.hasPrefix("各"), fragment.count >= 2, i + 1 < fragments.count,
               looksLikeUnit(fragments[i + 1]), !fragments[i + 1].hasPrefix("各") {
                fragment += "、" + fragments[i + 1]
                i += 1
            }
            if fragment.count <= 1, let last = names.popLast() {
                names.append(last + "、" + fragment)   // 市政府各委、办、局
            } else if fragment.hasPrefix("各") && !looksLikeUnit(fragment) && i + 1 < fragments.count {
                fragment += "、" + fragments[i + 1]
                i += 1
                names.append(fragment)
            } else {
                names += splitAtAnd(fragment)
            }
            i += 1
        }
        return names
    }

    /// “县直相关单位和各乡镇（街道）”: two units joined by 和, when both halves are units (市自然资源和规划局 is one).
    static func splitAtAnd(_ name: String) -> [String] {
        let parts = splitTopLevel(name, at: ["和", "及"])
        return parts.count == 2 && parts.allSatisfy(isBody) && parts[1].count >= 3 ? parts : [name]
    }

    /// A name that ends in the word for a body, not only a field of work (市自然资源 is not one; 市自然资源和规划局 is).
    static func isBody(_ name: String) -> Bool {
        let n = withoutTrailingParenthesis(name)
        return ["局", "委", "办", "厅", "院", "中心", "政府", "单位", "部门", "机关", "管委会", "乡镇", "街道", "公司", "集团"].contains { n.hasSuffix($0) }
            || (n.hasPrefix("各") && n.count >= 3)
    }

    /// 各市州, 县市区, 示范区: places without the word for a body (政府, 管委会, 局…).
    static func isPlaceOnly(_ name: String) -> Bool {
        let n = withoutTrailingParenthesis(name)
        return ["市", "州", "县", "区", "乡", "镇", "市州", "县市区", "区县", "乡镇", "街道"].contains { n.hasSuffix($0) } && !n.hasSuffix("城区") && n.count <= 6
    }

    static func sharesBody(_ name: String) -> Bool {
        ["人民政府", "政府", "管委会", "党委", "党工委"].contains { name.hasSuffix($0) }
    }

    /// Official bodies' names end in a word for a body (局, 委员会, 人民政府, 单位…) or a division (区, 县).
    static func looksLikeUnit(_ name: String) -> Bool {
        let n = withoutTrailingParenthesis(name)
        guard (2...40).contains(n.count), !n.contains("。"), !n.contains("“") else { return false }
        let endings = ["局", "委", "办", "厅", "部", "院", "会", "中心", "政府", "单位", "部门", "机关", "机构", "公司", "集团", "队", "所", "站",
                       "处", "室", "署", "社", "行", "馆", "台", "团", "区", "县", "市", "州", "旗", "盟", "组", "校", "庭", "关", "监狱", "电视台",
                       "报社", "管委会", "园区", "街道", "乡镇", "镇", "乡", "村", "协会", "联合会", "总工会", "共青团", "妇联", "科协", "残联", "红十字会",
                       "法院", "检察院", "人大", "政协", "巡察办", "网信办", "编办", "发改", "财政", "人社", "住建", "交通", "水利", "农业",
                       "商务", "文旅", "卫健", "应急", "审计", "国资", "统计", "医保", "林业", "城管", "信访", "公安", "民政", "司法", "教育", "科技", "工信",
                       "生态环境", "自然资源", "市场监管", "税务", "海关", "银行", "气象", "消防", "邮政", "电力", "各级各部门", "各地各部门", "各地", "各部门",
                       "各单位", "(市)", "（市）", "（市、区）", "(市、区)"]
        return endings.contains { n.hasSuffix($0) }
    }

    /// 各乡镇（街道） → 各乡镇: the kind of body is said before a closing remark.
    static func withoutTrailingParenthesis(_ name: String) -> String {
        Brackets.trailingGroup(in: name).map { String(name[..<$0]) } ?? name
    }

    /// Splits at separators outside parentheses (各区县（市）人民政府 stays whole); trims and drops empties.
    static func splitTopLevel(_ text: String, at separators: Set<Character>) -> [String] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if Brackets.isOpening(ch) { depth += 1 }
            if Brackets.isClosing(ch) { depth = max(0, depth - 1) }
            if separators.contains(ch) && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Sentences, split at 。 and ；outside parentheses.
    static func sentences(_ text: String) -> [String] { splitTopLevel(text, at: ["。", "；", ";"]) }
}
