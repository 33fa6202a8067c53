import DubanCore
import Foundation

/// Units an item's text names when it has no unit clause: what the importer can read from the prose.
struct TextUnits {
    /// Units that the text says are in charge (“市12345热线管理部门负责……”).
    var lead: [String] = []
    var responsible: [String] = []
    /// Every unit named, in text order.
    var all: [String] = []
    /// Function names the registry does not know (“……、人防等部门”), kept as written.
    var unknown: [String] = []

    var isEmpty: Bool { lead.isEmpty && responsible.isEmpty }
}

extension PlanImporter {
    /// Registry names (and aliases) the text mentions, longest first and not overlapping, in text order; plus
    /// departments named by function in a list (“发展改革、国土资源等部门” → 发展改革部门, 国土资源部门).
    /// Names inside 《》 are document titles, and a name right after 报/送/经 is where work is sent or checked,
    /// not who does it. A name followed by 负责 is the lead when the text names others too.
    static func unitsNamed(in text: String, registry: UnitRegistry, addressees: [String] = []) -> TextUnits {
        let chars = Array(text)
        var excluded = [Bool](repeating: false, count: chars.count)
        var depth = 0
        for (i, ch) in chars.enumerated() {
            if ch == "《" { depth += 1 }
            if depth > 0 { excluded[i] = true }
            if ch == "》" { depth = max(0, depth - 1) }
        }

        // (offset, order within the offset, name, is lead)
        var found: [(Int, Int, String, Bool)] = []
        var taken = [Bool](repeating: false, count: chars.count)
        let names = Self.namesLongestFirst(registry).filter { $0.alias.count >= 3 }.map { (Array($0.alias), $0.name) }
        for (alias, canonical) in names {
            var start = 0
            while let offset = Self.find(alias, in: chars, from: start) {
                start = offset + alias.count
                let span = offset..<(offset + alias.count)
                guard !span.contains(where: { excluded[$0] || taken[$0] }) else { continue }
                span.forEach { taken[$0] = true }
                if offset > 0, "报送经".contains(chars[offset - 1]) { continue }
                let leads = Self.find(Array("负责"), in: chars, from: span.upperBound) == span.upperBound
                found.append((offset, 0, canonical, leads))
            }
        }

        // “各单位要……” in a notice means the units it is addressed to (市直各单位 is a unit of its own).
        var start = 0
        while let offset = Self.find(Array("各单位"), in: chars, from: start) {
            start = offset + 3
            guard !taken[offset], !excluded[offset] else { continue }
            for (order, name) in addressees.enumerated() { found.append((offset, order, name, false)) }
        }

        var units = TextUnits()
        func department(_ name: String, managing: Bool) -> DubanCore.Unit? {
            (managing ? [name + "主管部门", name + "部门"] : [name + "部门", name + "主管部门"]).lazy.compactMap { registry.resolve($0) }.first
        }
        lists: for list in Self.functionLists(chars) where !list.elements.contains(where: { excluded[$0.offset] }) {
            for (order, element) in list.elements.enumerated() where !taken[element.offset] {
                var resolved: DubanCore.Unit?
                if order == 0 {
                    // The first name may carry the clause's verb with it (“要求发展改革、…等部门”): try its endings.
                    // “与宣传、网信等部门” names partners to work with, not units to assign.
                    for start in element.name.indices {
                        guard let unit = department(String(element.name[start...]), managing: list.managing) else { continue }
                        if start > element.name.startIndex, "与同和".contains(element.name[element.name.index(before: start)]) { continue lists }
                        resolved = unit
                        break
                    }
                } else {
                    resolved = department(element.name, managing: list.managing)
                }
                // “国土资源和环保”: two functions joined by 和, unless the whole is one (社会救助和社会福利主管部门).
                let parts = element.name.split(separator: "和").map { department(String($0), managing: list.managing) }
                if resolved == nil, parts.count == 2, parts.allSatisfy({ $0 != nil }) {
                    for (k, unit) in parts.enumerated() { found.append((element.offset, order * 2 + k, unit!.name, false)) }
                } else if let unit = resolved {
                    found.append((element.offset, order * 2, unit.name, false))
                } else if element.name.count <= 4 || order > 0 {
                    let written = element.name + (list.managing ? "主管部门" : "部门")
                    units.unknown.append(written)
                    found.append((element.offset, order * 2, written, false))
                }
            }
        }

        // A district named beside a collective that covers it (宁乡市 beside 各区县（市）) adds nothing.
        let covered = Set(found.compactMap { registry.resolve($0.2) }.filter { $0.kind == .collective }
            .flatMap { registry.concreteUnits(for: $0) }.map(\.name))
        var seen = Set<String>()
        let ordered = found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .filter { !(covered.contains($0.2) && registry.resolve($0.2)?.kind != .collective) && seen.insert($0.2).inserted }
        let hasOthers = ordered.contains { !$0.3 }
        for entry in ordered {
            units.all.append(entry.2)
            if entry.3 && hasOthers { units.lead.append(entry.2) } else { units.responsible.append(entry.2) }
        }
        return units
    }

    /// Every name and alias of the registry's units, with the unit's name, longest first: 各区县（市）人民政府
    /// is found before 各区县（市） inside it.
    static func namesLongestFirst(_ registry: UnitRegistry) -> [(alias: String, name: String)] {
        NameOrder.shared.names(registry)
    }

    /// The unit a text begins with (its longest name), and the name as written.
    static func leadingUnit(of text: String, registry: UnitRegistry) -> (alias: String, name: String)? {
        namesLongestFirst(registry).first { text.hasPrefix($0.alias) }
    }

    /// “甲、乙和丙等部门” / “甲、乙等主管部门”: the elements and where each starts.
    static func functionLists(_ chars: [Character]) -> [(elements: [(name: String, offset: Int)], managing: Bool)] {
        var lists: [(elements: [(name: String, offset: Int)], managing: Bool)] = []
        let stops: Set<Character> = ["，", ",", "。", "；", ";", "：", ":", "（", "(", "）", ")", "《", "》", "“", "”", " "]
        var start = 0
        while let marker = Self.find(Array("等"), in: chars, from: start) {
            start = marker + 1
            let rest = chars[(marker + 1)...]
            let managing = rest.starts(with: "主管部门")
            guard managing || rest.starts(with: "部门") else { continue }
            // Walk back over 、-separated names to the start of the clause.
            var elements: [(name: String, offset: Int)] = []
            var end = marker
            var index = marker - 1
            while index >= -1 {
                if index == -1 || stops.contains(chars[index]) || chars[index] == "、" {
                    let name = String(chars[(index + 1)..<end])
                    guard !name.isEmpty, name.count <= 10 else { break }
                    elements.insert((name, index + 1), at: 0)
                    if index == -1 || chars[index] != "、" { break }
                    end = index
                }
                index -= 1
            }
            if elements.count >= 2 { lists.append((elements, managing)) }
        }
        return lists
    }

    static func find(_ needle: [Character], in haystack: [Character], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Registry names longest first, sorted once per registry: every work point's text is searched with them.
final class NameOrder: @unchecked Sendable {
    static let shared = NameOrder()
    private let lock = NSLock()
    private var cache: [Int: [(alias: String, name: String)]] = [:]

    func names(_ registry: UnitRegistry) -> [(alias: String, name: String)] {
        lock.lock()
        defer { lock.unlock() }
        var hasher = Hasher()
        hasher.combine(registry.city)
        for unit in registry.units { hasher.combine(unit.id); hasher.combine(unit.name); hasher.combine(unit.aliases) }
        let key = hasher.finalize()
        if let hit = cache[key] { return hit }
        let names = registry.units.flatMap { unit in unit.allNames.map { (alias: $0, name: unit.name, length: $0.count) } }
            .sorted { $0.length > $1.length }.map { (alias: $0.alias, name: $0.name) }
        cache[key] = names
        return names
    }
}
