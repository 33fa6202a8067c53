import ArgumentParser
import DubanCore
import DubanStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计：校验进展记录的哈希链，查看被拒绝的操作。",
        subcommands: [Verify.self, Log.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "重新计算审计链，逐项核对进展记录、当前状态、被拒绝的操作、设置和保护触发器。",
            discussion: """
            退出码：0 完整；5 发现篡改。输出末尾的“链头”概括了到此刻为止的全部记录。能直接改写数据库文件的人也能
            重算整条链，只有存在别处的链头能发现这一点：用 --head-log 文件（由 root 的定时任务运行，文件只有 root 可写）
            每次核对此前记下的全部链头，并把新的链头追加进去；或用 --expect-head 比对一个记下的链头。
            """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("上次记下的链头（事件号.封存号:哈希），与当前链比对。", valueName: "head")) var expectHead: String?
        @Option(name: .customLong("head-log"), help: ArgumentHelp("链头记录文件：核对其中每个链头，完整时追加当前链头。", valueName: "file"))
        var headLog: String?
        @Flag(help: "以 JSON 输出。") var json = false

        struct Output: Encodable {
            let checked: Int
            let intact: Bool
            let findings: [Finding]
            let head: String
            struct Finding: Encodable { let event: Int64?; let kind: String; let message: String }
        }

        mutating func run() throws {
            try reporting {
                let expected = try expectHead.map { text -> AuditHead in
                    guard let head = AuditHead(parsing: text) else {
                        throw CLIError.input("--expect-head 应为 duban audit verify 打印的链头（如 12.3:后接 64 位十六进制哈希），而不是“\(shown(text))”")
                    }
                    return head
                }
                let log = try headLog.map { try HeadLog(path: $0) }
                if let server = try global.openStore() as? PostgresProgressStore {
                    return try verifyOnServer(server, expected: expected)
                }
                let store = try global.openSQLiteStore()
                let report = try store.verifyAudit()
                var findings = report.findings
                if let expected, try !store.contains(expected) { findings.append(.headMissing(expected.description)) }
                if let log { findings += try log.check(store) }
                let output = findings.map { Output.Finding(event: $0.eventID, kind: $0.kind, message: $0.description) }
                if json {
                    try printJSON(Output(checked: report.checked, intact: findings.isEmpty, findings: output, head: report.head.description))
                } else {
                    for f in findings { try writeLine("✗ \(f.description)") }
                    try writeLine(findings.isEmpty ? "审计链完整：共校验 \(report.checked) 条记录。" : "发现 \(findings.count) 处问题（共 \(report.checked) 条记录）。")
                    try writeLine("链头：\(report.head)")
                }
                if findings.isEmpty, let log { try log.append(report.head, recordedAt: report.headRecordedAt) }
                if !findings.isEmpty { throw ExitCode(5) }
            }
        }

        /// On PostgreSQL the server recomputes the chain itself (`duban.verify_chain`); the head is its last event.
        private func verifyOnServer(_ server: PostgresProgressStore, expected: AuditHead?) throws {
            guard headLog == nil else { throw CLIError.input("--head-log 只用于 SQLite 数据库；PostgreSQL 请定期备份（见 README）") }
            let (checked, broken, headID, head) = try server.verifyChain()
            var findings: [Output.Finding] = []
            if let broken {
                findings.append(.init(event: broken, kind: "altered", message: "记录 #\(broken) 与其哈希不符（在 duban 之外被改动、删除或插入）"))
            }
            findings += try server.verifyDerived().map { .init(event: $0.eventID, kind: $0.kind, message: $0.description) }
            if let expected, try server.eventHash(id: expected.eventID) != expected.hash {
                findings.append(.init(event: expected.eventID, kind: "head_missing", message: "记下的链头 \(expected) 与服务器上的链头不符"))
            }
            let headText = "\(headID):\(head)"
            if json {
                try printJSON(Output(checked: checked, intact: findings.isEmpty, findings: findings, head: headText))
            } else {
                for f in findings { try writeLine("✗ \(f.message)") }
                try writeLine(findings.isEmpty ? "审计链完整（由数据库服务器校验）：共 \(checked) 条记录。" : "发现 \(findings.count) 处问题（共 \(checked) 条记录）。")
                try writeLine("链头：\(headText)")
            }
            if !findings.isEmpty { throw ExitCode(5) }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: "列出被拒绝的操作：账号、时间、来源地址和所尝试的操作。")
        @OptionGroup var global: GlobalOptions
        @Option(help: "最多列出多少条（最新的）。") var limit = 200
        @Flag(help: "以 JSON 输出。") var json = false

        struct Row: Encodable { let id: Int64; let at: String; let account: String; let uid: Int; let ssh_client: String?; let action: String; let reason: String }

        mutating func run() throws {
            try reporting {
                let store = try global.openStore()
                let count = max(1, min(limit, 100_000))
                let refusals = try (store as? PostgresProgressStore)?.refusals(limit: count)
                    ?? (store as? SQLiteProgressStore)?.refusals(limit: count) ?? []
                if json {
                    try printJSON(refusals.map { Row(id: $0.id, at: $0.at, account: $0.account, uid: $0.uid, ssh_client: $0.sshClient, action: $0.action, reason: $0.reason) })
                    return
                }
                if refusals.isEmpty { try writeLine("没有被拒绝的操作。") }
                for r in refusals {
                    // $SSH_CONNECTION is set by the client's own environment: a hint, said to be one.
                    let from = r.sshClient.map { " 来自 \(SafeText.escaped($0))（SSH 客户端自报，未经核实）" } ?? ""
                    try writeLine("\(r.at)  \(SafeText.escaped(r.account))（uid \(r.uid)）\(from)  \(SafeText.escaped(r.action))：\(SafeText.escaped(r.reason))")
                }
            }
        }
    }
}
