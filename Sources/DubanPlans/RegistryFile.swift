import DubanCore
import Yams

/// Reads one city's unit registry (Plans/units/<city>.yaml).
public enum RegistryFile {
    public static func parse(_ text: String, file: String) -> (city: String, units: [UnitDraft])? {
        let (result, _) = parseWithDiagnostics(text, file: file)
        return result
    }

    public static func parseWithDiagnostics(_ text: String, file: String) -> ((city: String, units: [UnitDraft])?, [Diagnostic]) {
        let reader = YAMLReading(file: file)
        guard let root = reader.root(of: text), let f = reader.fields(root, what: "单位名册") else {
            return (nil, reader.diagnostics)
        }
        let city = f.string("city", required: true)
        let list = f.sequence("units")
        if list == nil { reader.error("单位名册缺少“units”（单位列表）", at: root) }
        var drafts: [UnitDraft] = []
        for entry in list ?? [] {
            guard let u = reader.fields(entry, what: "单位") else { continue }
            let id = u.string("id", required: true)
            let name = u.string("name", required: true)
            let kindText = u.string("kind", required: true)
            var kind: UnitKind?
            if let kindText {
                kind = UnitKind(rawValue: kindText.value)
                if kind == nil {
                    reader.diagnostics.append(.error("单位类型“\(kindText.value)”应为 district、department 或 collective", at: kindText.location))
                }
            }
            let aliases = u.strings("aliases") ?? []
            let expands = u.strings("expands_to") ?? []
            u.finish()
            if let id, let name, let kind, let kindText {
                drafts.append(UnitDraft(id: id, name: name, kind: Located(kind, at: kindText.location), aliases: aliases, expandsTo: expands))
            }
        }
        f.finish()
        guard let city else { return (nil, reader.diagnostics) }
        return ((city.value, drafts), reader.diagnostics)
    }
}
