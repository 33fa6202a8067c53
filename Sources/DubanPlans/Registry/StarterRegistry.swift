import DubanCore
import Foundation

/// A starter unit registry for any prefecture-level city: its county-level divisions from the division table,
/// the collective phrases offices write for them, and the units a document names, for the clerk to confirm.
public enum StarterRegistry {
    /// The file's YAML. `documentUnits` are names a document used that the divisions and collectives do not cover.
    public static func yaml(for city: Division, documentUnits: [String] = [], document: String? = nil) -> String {
        let counties = DivisionTable.counties(of: city)
        let zones = DivisionTable.counties(of: city, zones: true)
        var lines = [
            "# \(city.name)单位名册：\(city.level == .county ? "区划" : "区县（市）")来自行政区划代码表（\(DivisionTable.edition)），",
            "# 功能区来自\(DivisionTable.zonesEdition)；统称是公文中常见的写法。由 duban registry init 生成，请核对。",
            "city: \(city.name)",
            "units:",
        ]
        var used = Set<String>()
        func id(_ slug: String) -> String {
            var candidate = slug, n = 2
            while used.contains(candidate) { candidate = "\(slug)-\(n)"; n += 1 }
            used.insert(candidate)
            return candidate
        }
        func entry(_ id: String, _ name: String, _ kind: UnitKind, aliases: [String] = [], expandsTo: [String]? = nil, comment: String? = nil) {
            lines += entryLines(id, name, kind, aliases: aliases, expandsTo: expandsTo, comment: comment)
        }
        for county in counties {
            entry(id(county.slug), county.name, .district, aliases: [county.name + "人民政府", county.name + "政府"])
        }
        for zone in zones {
            // Called by its short name in documents and on screens (湘潭高新区); the official name is an alias.
            let aliases = zoneAliases(zone.name, city: city)
            let short = aliases.last ?? zone.name
            entry(id(zone.slug), short, .district, aliases: [zone.name] + aliases.filter { $0 != short },
                  comment: "功能区（不是行政区划；各区县统称不含它，文件点名时才计入）")
        }
        if !counties.isEmpty {
            entry(id("all-districts"), allDistrictsName(counties), .collective, aliases: allDistrictsAliases(counties),
                  expandsTo: counties.map(\.name))
        } else {
            // A county's own registry: its towns are not in the division table, so 各乡镇 stays collective.
            entry(id("all-towns"), "各乡镇人民政府", .collective, aliases: ["各乡镇", "各乡（镇）人民政府", "各乡(镇)人民政府", "各乡镇（街道）",
                                                                   "各乡镇(街道)", "各乡镇人民政府（街道办事处）", "各乡镇人民政府、街道办事处", "各乡镇街道"])
        }
        if !zones.isEmpty {
            entry(id("all-zones"), "各园区管委会", .collective, aliases: ["园区管委会", "各功能区管委会", "各园区", "功能区管委会"],
                  expandsTo: zones.map(\.name))
        }
        // 市直各单位 in a city; 县直各单位 (区直, 市直 for a county-level city) in a county.
        let level = city.level == .county ? String(city.name.last ?? "县") : "市"
        for collective in standingCollectives {
            func localised(_ text: String) -> String { level == "市" ? text : text.replacingOccurrences(of: "市直", with: "\(level)直")
                .replacingOccurrences(of: "市政府", with: "\(level)政府") }
            entry(id(collective.id), localised(collective.name), .collective, aliases: collective.aliases.map(localised))
        }
        let known = registry(lines.joined(separator: "\n"), city: city.name)
        var added = Set<String>()
        let extra = documentUnits.filter { name in
            known.map { PlanImporter.resolveVariant(name, registry: $0) == nil } ?? true
        }.filter { added.insert($0).inserted }
        if !extra.isEmpty {
            lines.append("  # 以下单位取自\(document.map { "《\($0)》" } ?? "导入的文件")，请核对名称、类型和别名")
            for name in extra {
                entry(id(Slug.make(name, dropping: [])), name, kind(of: name))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Entries to append to an existing registry for the names it lacks (same format as `yaml`).
    public static func additions(_ names: [String], to registry: UnitRegistry, document: String? = nil) -> (text: String, names: [String]) {
        var used = Set(registry.units.map(\.id))
        var added = Set<String>()
        let missing = names.filter { PlanImporter.resolveVariant($0, registry: registry) == nil && added.insert($0).inserted }
        guard !missing.isEmpty else { return ("", []) }
        var lines = ["  # 以下单位取自\(document.map { "《\($0)》" } ?? "导入的文件")（duban registry init --from），请核对名称、类型和别名"]
        for name in missing {
            var slug = Slug.make(name), n = 2
            while used.contains(slug) { slug = "\(Slug.make(name))-\(n)"; n += 1 }
            used.insert(slug)
            lines += entryLines(slug, name, kind(of: name))
        }
        return (lines.joined(separator: "\n") + "\n", missing)
    }

    /// One unit of a registry file, as the format writes it (docs/plan-format.md).
    static func entryLines(_ id: String, _ name: String, _ kind: UnitKind, aliases: [String] = [], expandsTo: [String]? = nil,
                           comment: String? = nil) -> [String] {
        var lines = comment.map { ["  # \($0)"] } ?? []
        lines += ["  - id: \(id)", "    name: \(quoted(name))", "    kind: \(kind.rawValue)", "    aliases: [\(aliases.map(quoted).joined(separator: ", "))]"]
        if let expandsTo { lines.append("    expands_to: [\(expandsTo.map(quoted).joined(separator: ", "))]") }
        return lines
    }

    /// A name that speaks for many (各…, …相关单位, 市直…) is a collective; others are departments.
    static func kind(of name: String) -> UnitKind {
        if name.hasPrefix("各") || ["相关", "有关", "各单位", "各部门", "成员单位", "直属"].contains(where: { name.contains($0) }) { return .collective }
        return .department
    }

    public static func registry(_ yaml: String, city: String) -> UnitRegistry? {
        guard let parsed = RegistryFile.parse(yaml, file: "starter") else { return nil }
        return UnitRegistry.assemble(city: parsed.city, drafts: parsed.units).0
    }

    static func quoted(_ text: String) -> String {
        text.contains(where: { ":#,[]{}&*!|>'\"%@`".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : text
    }

    /// 各县市区人民政府 for a city of 县, 市 and 区; the kinds it has, in the usual order.
    static func kinds(_ counties: [Division]) -> [String] {
        ["县", "市", "区"].filter { k in counties.contains { $0.name.hasSuffix(k) } }
    }

    static func allDistrictsName(_ counties: [Division]) -> String { "各" + kinds(counties).joined() + "人民政府" }

    /// Every order and bracketing offices use: 各县市区, 各县（市、区）, 各区县（市）, with and without 人民政府.
    static func allDistrictsAliases(_ counties: [Division]) -> [String] {
        let ks = kinds(counties)
        var cores: [String] = []
        for p in permutations(ks) {
            cores.append(p.joined())
            if p.count >= 2 {
                let rest = p.dropFirst()
                cores += ["\(p[0])（\(rest.joined(separator: "、"))）", "\(p[0])(\(rest.joined(separator: "、")))", "\(p[0])（\(rest.joined())）"]
                if p.count == 3 { cores += ["\(p[0])\(p[1])（\(p[2])）", "\(p[0])\(p[1])(\(p[2]))"] }
            }
        }
        var seen = Set<String>()
        let all = cores.flatMap { ["各\($0)人民政府", "各\($0)政府", "各\($0)"] }.filter { seen.insert($0).inserted }
        return all.filter { $0 != allDistrictsName(counties) }
    }

    static func permutations(_ items: [String]) -> [[String]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[String]] in
            var rest = items
            let first = rest.remove(at: i)
            return permutations(rest).map { [first] + $0 }
        }
    }

    /// 湖南湘潭高新技术产业园区 → 湘潭高新区, 高新区; 湘潭昭山示范区 → 昭山示范区.
    static func zoneAliases(_ name: String, city: Division) -> [String] {
        var n = name
        // The official name may begin with the province's (湖南湘潭高新技术产业园区).
        if let province = city.province {
            for prefix in [province.name, province.shortName] where n.hasPrefix(prefix) { n.removeFirst(prefix.count); break }
        }
        var aliases = [n]
        let withoutCity = n.hasPrefix(city.name) ? String(n.dropFirst(city.name.count)) : n.hasPrefix(city.shortName) ? String(n.dropFirst(city.shortName.count)) : n
        aliases.append(withoutCity)
        let short = [("高新技术产业园区", "高新区"), ("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"), ("经济开发区", "经开区")]
        for (long, abbreviation) in short where n.hasSuffix(long) {
            aliases.append(String(withoutCity.dropLast(long.count)) + abbreviation)
            aliases.append(String(n.dropLast(long.count)) + abbreviation)   // the usual short name: 湘潭高新区
        }
        var seen: Set<String> = [name]
        return aliases.filter { $0.count >= 3 && seen.insert($0).inserted }
    }

    static let standingCollectives: [(id: String, name: String, aliases: [String])] = [
        ("city-all", "市直各单位", ["市直单位", "市直各部门", "市直机关各单位", "市政府各部门", "市政府各委、办、局", "市政府各委办局", "市政府直属各单位", "市直各委办局"]),
        ("city-related", "市直相关单位", ["市直有关单位", "市直相关部门", "市直有关部门", "市直各相关单位", "市直各有关单位", "市直及驻市相关单位"]),
        ("all-levels-depts", "各级各部门", ["各地各部门", "各级各有关部门"]),
        ("all-related", "各有关单位", ["各相关单位", "有关单位", "相关单位"]),
    ]
}
