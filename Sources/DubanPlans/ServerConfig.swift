import DubanCore

/// The administrator's settings for a shared server (/etc/duban/server.yaml), written by
/// scripts/setup-shared-server.sh. duban installed setuid to the service account takes its database, plans and
/// access file from here and from nowhere else: a clerk's environment and options cannot move them.
///
///     database: /srv/duban/duban.sqlite
///     plans: /srv/duban/Plans
///     access: /etc/duban/access.yaml
public struct ServerConfig: Sendable, Equatable {
    public var database: String
    public var plans: String
    public var access: String

    public init(database: String, plans: String, access: String = ServerConfig.defaultAccessFile) {
        self.database = database
        self.plans = plans
        self.access = access
    }

    public static let defaultAccessFile = "/etc/duban/access.yaml"

    public static func parse(_ text: String, file: String) -> (ServerConfig?, [Diagnostic]) {
        let reader = YAMLReading(file: file)
        guard let root = reader.root(of: text), let f = reader.fields(root, what: "服务器配置") else { return (nil, reader.diagnostics) }
        func absolutePath(_ key: String, required: Bool) -> String? {
            guard let value = f.string(key, required: required) else { return nil }
            guard value.value.hasPrefix("/") else {
                reader.diagnostics.append(.error("\(key) 应为绝对路径，而不是“\(value.value)”", at: value.location))
                return nil
            }
            return value.value
        }
        let database = absolutePath("database", required: true)
        let plans = absolutePath("plans", required: true)
        let access = absolutePath("access", required: false)
        f.finish()
        guard let database, let plans, !reader.diagnostics.contains(where: { $0.severity == .error }) else {
            return (nil, reader.diagnostics)
        }
        return (ServerConfig(database: database, plans: plans, access: access ?? defaultAccessFile), reader.diagnostics)
    }
}
