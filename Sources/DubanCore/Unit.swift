/// What kind of body a unit is. Districts are ranked against each other; collectives are phrases
/// such as 市直相关单位 that name a group rather than a body.
public enum UnitKind: String, Sendable, Codable, CaseIterable {
    case district, department, collective

    public var label: String {
        switch self {
        case .district: return "区县（市）"
        case .department: return "部门"
        case .collective: return "统称"
        }
    }
}

public struct Unit: Sendable, Equatable, Identifiable, Codable {
    /// ASCII slug, unique within a city.
    public let id: String
    public let name: String
    public let kind: UnitKind
    public let aliases: [String]
    public let city: String
    /// For a collective that stands for concrete units (各区县（市）人民政府 → every district): their ids.
    /// Empty for a collective that stays collective (市直相关单位).
    public let expandsTo: [String]

    public init(id: String, name: String, kind: UnitKind, aliases: [String] = [], city: String, expandsTo: [String] = []) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.city = city
        self.expandsTo = expandsTo
    }

    public var allNames: [String] { [name] + aliases }
}

/// One city's units, looked up by id, name or alias.
public struct UnitRegistry: Sendable {
    public let city: String
    public let units: [Unit]
    private let byFoldedName: [String: Int]
    private let byID: [String: Int]

    /// Assumes names and ids are unique; `assemble` is the checked way in.
    public init(city: String, units: [Unit]) {
        self.city = city
        self.units = units
        var names: [String: Int] = [:]
        var ids: [String: Int] = [:]
        for (index, unit) in units.enumerated() {
            ids[unit.id] = ids[unit.id] ?? index
            for name in unit.allNames { names[TextMatching.foldedName(name)] = names[TextMatching.foldedName(name)] ?? index }
        }
        byFoldedName = names
        byID = ids
    }

    public func unit(id: String) -> Unit? { byID[id].map { units[$0] } }

    /// Where the unit of this id is in `units`.
    public func index(ofUnitID id: String) -> Int? { byID[id] }

    /// By canonical name or alias, forgiving half-width punctuation and spaces.
    public func unit(named name: String) -> Unit? { byFoldedName[TextMatching.foldedName(name)].map { units[$0] } }

    /// By id, name or alias: what a clerk may type.
    public func resolve(_ reference: String) -> Unit? { unit(id: reference) ?? unit(named: reference) }

    public func closestNames(to reference: String, limit: Int = 3) -> [String] {
        TextMatching.closest(to: reference, among: units.flatMap(\.allNames) + units.map(\.id), limit: limit)
    }

    /// The concrete units a unit stands for: itself, or what a collective expands to.
    /// A collective that stays collective stands for no concrete unit.
    public func concreteUnits(for unit: Unit) -> [Unit] {
        switch unit.kind {
        case .district, .department: return [unit]
        case .collective: return unit.expandsTo.compactMap { self.unit(id: $0) }
        }
    }

    public var districts: [Unit] { units.filter { $0.kind == .district } }

    /// What the city's own documents call its districts as a group — 区县（市） in 长沙, 县市区 in 株洲: the collective
    /// that names the most districts and nothing else, without 各 and 人民政府. 区县 when the registry has none.
    public var districtsCollectiveName: String {
        let districtIDs = Set(districts.map(\.id))
        let candidates = units.filter { unit in
            unit.kind == .collective && !unit.expandsTo.isEmpty
                && unit.expandsTo.allSatisfy { name in resolve(name).map { districtIDs.contains($0.id) } ?? false }
        }
        guard let best = candidates.max(by: { $0.expandsTo.count < $1.expandsTo.count }) else { return "区县" }
        var name = best.name
        if name.hasPrefix("各") { name.removeFirst() }
        for suffix in ["人民政府", "各部门", "各有关部门"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name.isEmpty ? "区县" : name
    }

    /// How the supervising office names itself in its own documents: 市政务公开办 for a city, 县政务公开办 for a county,
    /// 区政务公开办 for a district — the level is the last character of the registry's place name.
    public var supervisingOfficeShortName: String {
        let level = city.last.map { "市县区州盟旗".contains($0) ? String($0) : "市" } ?? "市"
        return level + "政务公开办"
    }

    /// Builds a registry from drafts, reporting duplicate ids and names and unknown expansion targets.
    public static func assemble(city: String, drafts: [UnitDraft]) -> (UnitRegistry, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var seenIDs: [String: SourceLocation?] = [:]
        var seenNames: [String: String] = [:]
        var kept: [UnitDraft] = []
        for draft in drafts {
            if !isSlug(draft.id.value) {
                diagnostics.append(.error("单位编号“\(draft.id.value)”应为小写英文字母、数字和连字符", at: draft.id.location))
            }
            if let first = seenIDs[draft.id.value] {
                diagnostics.append(.error("单位编号“\(draft.id.value)”重复（首次出现在 \(first.map(\.description) ?? "前文")）", at: draft.id.location))
                continue
            }
            seenIDs[draft.id.value] = draft.id.location
            var duplicateName = false
            for name in [draft.name] + draft.aliases {
                let folded = TextMatching.foldedName(name.value)
                if let owner = seenNames[folded], owner != draft.id.value {
                    diagnostics.append(.error("单位名称“\(name.value)”已属于单位 \(owner)", at: name.location))
                    duplicateName = true
                }
                seenNames[folded] = draft.id.value
            }
            if !duplicateName { kept.append(draft) }
        }
        // Expansion targets are resolved against the finished name table.
        let provisional = UnitRegistry(city: city, units: kept.map {
            Unit(id: $0.id.value, name: $0.name.value, kind: $0.kind.value, aliases: $0.aliases.map(\.value), city: city)
        })
        var units: [Unit] = []
        for draft in kept {
            var targets: [String] = []
            if !draft.expandsTo.isEmpty && draft.kind.value != .collective {
                diagnostics.append(.error("只有统称（collective）可以展开为其他单位", at: draft.kind.location))
            }
            for target in draft.expandsTo {
                guard let unit = provisional.resolve(target.value) else {
                    diagnostics.append(.error(unknownUnitMessage(target.value, registry: provisional), at: target.location))
                    continue
                }
                if unit.kind == .collective {
                    diagnostics.append(.error("“\(target.value)”是统称，不能作为展开目标", at: target.location))
                    continue
                }
                targets.append(unit.id)
            }
            units.append(Unit(id: draft.id.value, name: draft.name.value, kind: draft.kind.value,
                              aliases: draft.aliases.map(\.value), city: city, expandsTo: targets))
        }
        return (UnitRegistry(city: city, units: units), diagnostics)
    }

    public static func unknownUnitMessage(_ name: String, registry: UnitRegistry) -> String {
        let near = registry.closestNames(to: name)
        let hint = near.isEmpty ? "" : "；相近的有：" + near.joined(separator: "、")
        return "\(registry.city)单位名册中没有“\(name)”\(hint)"
    }

    static func isSlug(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

/// A unit as read from a registry file, before validation.
public struct UnitDraft: Sendable {
    public let id: Located<String>
    public let name: Located<String>
    public let kind: Located<UnitKind>
    public let aliases: [Located<String>]
    public let expandsTo: [Located<String>]

    public init(id: Located<String>, name: Located<String>, kind: Located<UnitKind>,
                aliases: [Located<String>] = [], expandsTo: [Located<String>] = []) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.expandsTo = expandsTo
    }
}
