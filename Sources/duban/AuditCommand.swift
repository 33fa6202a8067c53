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
            abstract: "重新计算全部记录的哈希链，指出在 duban 之外被改动、删除或插入的记录。",
            discussion: """
            退出码：0 链条完整；5 发现篡改。输出末尾的“链头”可抄存到别处（如只有 root 可写的日志），
            下次用 --expect-head 比对：能直接改写数据库文件的人也能重算整条链，只有存在别处的链头能发现这一点。
            """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("上次记下的链头（记录号:哈希），与当前链比对。", valueName: "id:hash")) var expectHead: String?
        @Flag(help: "以 JSON 输出。") var json = false

        struct Output: Encodable {
            let checked: Int
            let intact: Bool
            let findings: [Finding]
            let head: String
            struct Finding: Encodable { let event: Int64; let kind: String; let message: String }
        }

        mutating func run() throws {
            try reporting {
                let store = try global.openStore()
                let report = try store.verifyAudit()
                var findings = report.findings.map { finding -> Output.Finding in
                    let kind = switch finding {
                    case .altered: "altered"
                    case .inserted: "inserted"
                    case .deleted: "deleted"
                    case .tailDeleted: "tail_deleted"
                    }
                    return Output.Finding(event: finding.eventID, kind: kind, message: finding.description)
                }
                let head = "\(report.headID):\(report.headHash)"
                if let expectHead, !head.hasPrefix(expectHead), !chainContains(expectHead, store: store) {
                    findings.append(Output.Finding(event: Int64(expectHead.split(separator: ":").first ?? "") ?? 0, kind: "head_mismatch",
                                                   message: "记下的链头 \(SafeText.escaped(expectHead)) 已不在链中：整条链可能被重算改写"))
                }
                if json {
                    try printJSON(Output(checked: report.checked, intact: findings.isEmpty, findings: findings, head: head))
                } else {
                    for f in findings { try writeLine("✗ \(f.message)") }
                    try writeLine(findings.isEmpty ? "审计链完整：共校验 \(report.checked) 条记录。" : "发现 \(findings.count) 处问题（共 \(report.checked) 条记录）。")
                    try writeLine("链头：\(head)")
                }
                if !findings.isEmpty { throw ExitCode(5) }
            }
        }

        /// An earlier head is still in the chain when that event still carries that hash.
        private func chainContains(_ head: String, store: SQLiteProgressStore) -> Bool {
            let parts = head.split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[0]) else { return false }
            return (try? store.chainHash(of: id)) == String(parts[1])
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出被拒绝的操作：账号、时间、来源地址和所尝试的操作。")
        @OptionGroup var global: GlobalOptions
        @Option(help: "最多列出多少条（最新的）。") var limit = 200
        @Flag(help: "以 JSON 输出。") var json = false

        struct Row: Encodable { let id: Int64; let at: String; let account: String; let uid: Int; let ssh_client: String?; let action: String; let reason: String }

        mutating func run() throws {
            try reporting {
                let store = try global.openStore()
                let refusals = try store.refusals(limit: max(1, min(limit, 100_000)))
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
