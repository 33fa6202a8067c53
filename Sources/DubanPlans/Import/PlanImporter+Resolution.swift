import DubanCore
import Foundation

/// Unit names → the city's registry: aliases, the ways offices vary a name, and warnings for names it lacks.
extension PlanImporter {
    /// Units named in the text; function names the registry lacks are kept as written, and said so.
    mutating func textUnits(_ text: String, registry: UnitRegistry, line: Int, addressees: [String]) -> TextUnits {
        let units = Self.unitsNamed(in: text, registry: registry, addressees: addressees)
        for name in units.unknown { warnUnknownUnit(name, registry: registry, line: line) }
        return units
    }

    /// A unit the registry does not know: kept as written, with the closest known names — said once, at its first line,
    /// with the others it appears on. With no registry for the city at all, that one warning (every name kept as
    /// written) says it for all of them.
    mutating func warnUnknownUnit(_ name: String, registry: UnitRegistry, line: Int) {
        guard !registry.units.isEmpty else { return }
        if var seen = unknownUnits[name] {
            guard line != warnings[seen.warning].line, !seen.lines.contains(line) else { return }
            seen.lines.append(line)
            unknownUnits[name] = seen
            warnings[seen.warning].message = seen.message + "（另见第 \(seen.lines.map(String.init).joined(separator: "、")) 行）"
            return
        }
        let near = registry.closestNames(to: name)  // an edit distance against every name of the registry: once per unit
        let message = "单位名册中没有“\(name)”" + (near.isEmpty ? "，已按原文保留" : "；相近的有：\(near.joined(separator: "、"))")
        unknownUnits[name] = (warnings.count, message, [])
        warn(line, "unknown-unit", message)
    }

    /// Names resolved through the registry (aliases included); a name joined by 和 is tried whole, then split.
    mutating func resolve(_ name: String, registry: UnitRegistry, line: Int, warnUnknown: Bool = true) -> [Located<String>] {
        let at = SourceLocation(file: sourceFile, line: line)
        if let unit = Self.resolveVariant(name, registry: registry) { return [Located(unit.name, at: at)] }
        if name.contains("和") {
            let parts = name.split(separator: "和").map(String.init)
            if parts.allSatisfy({ registry.resolve($0) != nil }) { return parts.map { Located(registry.resolve($0)!.name, at: at) } }
        }
        if warnUnknown { warnUnknownUnit(name, registry: registry, line: line) }
        return [Located(name, at: at)]
    }

    /// A name as the registry has it, or written the other ways offices write it: 人民政府 / 政府, with or
    /// without the city's 市 or its full name in front (湘潭市发展改革委 = 市发展改革委).
    public static func resolveVariant(_ name: String, registry: UnitRegistry) -> DubanCore.Unit? {
        if let unit = registry.resolve(name) { return unit }
        var variants: [String] = []
        if name.hasSuffix("人民政府") { variants += [String(name.dropLast(4)), String(name.dropLast(4)) + "政府"] }
        else if name.hasSuffix("政府") { variants.append(String(name.dropLast(2)) + "人民政府") }
        let city = registry.city
        if !city.isEmpty, name.hasPrefix(city) { variants.append("市" + name.dropFirst(city.count)) }
        if !city.isEmpty, city.hasSuffix("市"), name.hasPrefix(String(city.dropLast())), !name.hasPrefix(city) {
            variants.append("市" + name.dropFirst(city.count - 1))
        }
        return variants.lazy.compactMap { registry.resolve($0) }.first
    }

    /// Every county-level district, plus districts the notice addresses by name (长沙高新区, 株洲经开区).
    static func districts(registry: UnitRegistry, addressees: [Located<String>]) -> [Located<String>] {
        var names: [String] = []
        for a in addressees {
            guard let unit = registry.resolve(a.value) else { continue }
            if unit.kind == .district { names.append(unit.name) }
            if unit.kind == .collective {
                names += registry.concreteUnits(for: unit).filter { $0.kind == .district }.map(\.name)
            }
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.map { Located($0) }
    }
}
