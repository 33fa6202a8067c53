import DubanCore
import Yams

/// The access file (/etc/duban/access.yaml): OS accounts and groups → role, and for staff their units.
///
///     accounts:
///       liyun:  { role: staff, units: [芙蓉区] }
///       wangju: { role: leader }
///     groups:
///       duban-admin: { role: admin }
public struct AccessFile: Sendable, Equatable {
    public struct Grant: Sendable, Equatable {
        public var role: Role
        /// Unit names or ids, as written; resolved against each plan's registry.
        public var units: [String]

        public init(role: Role, units: [String] = []) {
            self.role = role
            self.units = units
        }
    }

    public var accounts: [String: Grant]
    public var groups: [String: Grant]

    public init(accounts: [String: Grant] = [:], groups: [String: Grant] = [:]) {
        self.accounts = accounts
        self.groups = groups
    }

    public static let maximumFileSize = 1024 * 1024

    /// The account's grant: its own entry if it has one, else what its groups give together
    /// (the highest role, and the units of every staff group).
    public func grant(account: String, groups memberOf: [String]) -> Grant? {
        if let own = accounts[account] { return own }
        let grants = memberOf.compactMap { groups[$0] }
        guard let role = grants.map(\.role).max() else { return nil }
        return Grant(role: role, units: grants.flatMap(\.units))
    }

    public static func parse(_ text: String, file: String) -> (AccessFile?, [Diagnostic]) {
        let reader = YAMLReading(file: file)
        guard let root = reader.root(of: text), let f = reader.fields(root, what: "访问控制文件") else { return (nil, reader.diagnostics) }
        var result = AccessFile()
        func grants(_ key: String, what: String) -> [String: Grant] {
            guard let node = f.node(key) else { return [:] }
            guard let entries = reader.fields(node, what: key)?.entries() else { return [:] }
            var out: [String: Grant] = [:]
            for entry in entries {
                guard let g = reader.fields(entry.value, what: "\(what)“\(entry.key)”") else { continue }
                let role = g.string("role", required: true)
                let units = g.strings("units")?.map(\.value) ?? []
                g.finish()
                guard let role else { continue }
                guard let parsed = Role(rawValue: role.value) else {
                    reader.diagnostics.append(.error("\(what)“\(entry.key)”的 role 应为 admin、staff 或 leader，而不是“\(role.value)”", at: role.location))
                    continue
                }
                if parsed == .staff && units.isEmpty {
                    reader.diagnostics.append(.error("\(what)“\(entry.key)”是 staff，需用 units 列出其负责的单位", at: role.location))
                    continue
                }
                out[entry.key] = Grant(role: parsed, units: units)
            }
            return out
        }
        result.accounts = grants("accounts", what: "账号")
        result.groups = grants("groups", what: "用户组")
        f.finish()
        return (reader.diagnostics.contains { $0.severity == .error } ? nil : result, reader.diagnostics)
    }

    /// The file as YAML, for `duban access grant/revoke` (sorted, so edits diff cleanly).
    public func yaml() -> String {
        func block(_ title: String, _ grants: [String: Grant]) -> String {
            guard !grants.isEmpty else { return "\(title): {}\n" }
            return "\(title):\n" + grants.keys.sorted().map { name in
                let g = grants[name]!
                let units = g.units.isEmpty ? "" : ", units: [\(g.units.map(quoted).joined(separator: ", "))]"
                return "  \(quoted(name)): { role: \(g.role.rawValue)\(units) }\n"
            }.joined()
        }
        return "# duban 访问控制：账号与用户组 → 角色（admin 管理员 / staff 填报员 / leader 领导只读）\n"
            + block("accounts", accounts) + block("groups", groups)
    }

    private func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
