/// A clerk's update as typed (names, not ids), checked against the plan. Validation is here, in the
/// model, so the command line and the dashboard refuse the same things with the same words.
public struct UpdateRequest: Sendable {
    public var nodeID: String
    public var unit: String
    public var status: String
    public var percent: Int?
    public var note: String
    public var evidence: String?
    public var date: CivilDate
    /// A correction (更正) of this record, which must still be the assignment's latest.
    public var corrects: Int64?

    public init(nodeID: String, unit: String, status: String, percent: Int? = nil, note: String = "",
                evidence: String? = nil, date: CivilDate) {
        self.nodeID = nodeID
        self.unit = unit
        self.status = status
        self.percent = percent
        self.note = note
        self.evidence = evidence
        self.date = date
    }

    public static let maximumNoteLength = 2000
    public static let maximumEvidenceLength = 1000

    public struct Resolved: Sendable, Equatable {
        public let node: String
        public let unitID: String
        public let status: Status
        public let percent: Int
        public let note: String
        public let evidence: String?
        public let date: CivilDate
    }

    /// Checks everything a clerk could get wrong; the message says what to type instead.
    /// `previousPercent` carries the last reported percent forward when none is given.
    public func resolve(in plan: Plan, today: CivilDate, previousPercent: Int?) -> Result<Resolved, UpdateRejection> {
        let target: (node: PlanNode, unit: Unit)
        switch Self.assignment(nodeID: nodeID, unit: unit, in: plan) {
        case let .success(value): target = value
        case let .failure(rejection): return .failure(rejection)
        }
        guard let status = Status(input: status) else {
            return .failure(.init("状态“\(SafeText.escaped(status))”无法识别：应为 未启动、推进中、已完成、暂缓（或 todo、doing、done、suspended）"))
        }
        let percent: Int
        if let given = self.percent {
            guard (0...100).contains(given) else {
                return .failure(.init("完成进度应在 0 到 100 之间，而不是 \(given)"))
            }
            if status == .done && given < 100 {
                return .failure(.init("状态为已完成时，完成进度应为 100，而不是 \(given)；尚未完成请登记为推进中"))
            }
            if status == .notStarted && given > 0 {
                return .failure(.init("状态为未启动时，完成进度应为 0；已有进展请登记为推进中"))
            }
            percent = given
        } else {
            switch status {
            case .done: percent = 100
            case .notStarted: percent = 0
            case .inProgress, .suspended: percent = min(previousPercent ?? 0, 99)
            }
        }
        if let rejection = Self.checkNote(note, what: "进展说明") ?? Self.checkDate(date, in: plan, today: today) { return .failure(rejection) }
        var evidence: String?
        if let given = self.evidence?.trimmingSpaces, !given.isEmpty {
            guard given.count <= Self.maximumEvidenceLength, Self.isWebLink(given) else {
                return .failure(.init("佐证材料应为 http:// 或 https:// 开头的链接，而不是“\(SafeText.escaped(String(given.prefix(80))))”"))
            }
            evidence = given
        }
        return .success(Resolved(node: target.node.id, unitID: target.unit.id, status: status, percent: percent,
                                 note: note, evidence: evidence, date: date))
    }

    /// The leaf node and the assigned unit a clerk named, or what to type instead.
    public static func assignment(nodeID: String, unit: String, in plan: Plan) -> Result<(node: PlanNode, unit: Unit), UpdateRejection> {
        guard let node = plan.node(nodeID) else {
            // Items are numbered across the document, so "1.9" most likely means item 9 under its real section.
            let last = nodeID.split(separator: ".").last.map(String.init) ?? nodeID
            let sameNumber = plan.nodes.filter { $0.kind != .section && $0.id.split(separator: ".").last.map(String.init) == last && $0.id.split(separator: ".").count == nodeID.split(separator: ".").count }
            let near = sameNumber.isEmpty ? TextMatching.closest(to: nodeID, among: plan.nodes.map(\.id), limit: 3) : sameNumber.map(\.id)
            return .failure(.init("计划 \(plan.id) 中没有编号为“\(SafeText.escaped(nodeID))”的事项"
                                  + (near.isEmpty ? "" : "；相近的编号：\(near.joined(separator: "、"))")
                                  + "。可用 duban tree \(plan.id) 查看编号"))
        }
        if node.kind == .section {
            return .failure(.init("\(node.id) 是章节“\(node.title)”，请对其下的事项登记进展"))
        }
        if !node.isLeaf {
            return .failure(.init("事项 \(node.id) 分为子任务 \(node.childIDs.joined(separator: "、"))，请对子任务分别登记进展"))
        }
        let assignees = plan.assignees(of: node)
        guard let resolved = plan.registry.resolve(unit) else {
            let near = TextMatching.closest(to: unit, among: assignees.flatMap(\.allNames) + plan.registry.units.map(\.name))
            return .failure(.init("\(plan.city)没有名为“\(SafeText.escaped(unit))”的单位"
                                  + (near.isEmpty ? "" : "；相近的有：\(near.joined(separator: "、"))")))
        }
        guard assignees.contains(where: { $0.id == resolved.id }) else {
            let list = assignees.isEmpty ? "（该事项没有分解到具体单位）" : assignees.map(\.name).joined(separator: "、")
            return .failure(.init("\(resolved.name)不是事项 \(node.id)“\(node.title)”的责任单位；该事项的责任单位为：\(list)"))
        }
        return .success((node, resolved))
    }

    /// Every path (command line, batch, form) comes through here: a control or bidi character would be stored
    /// cut (NUL) or would drive the terminal that shows it later, so none is stored.
    static func checkNote(_ note: String, what: String) -> UpdateRejection? {
        if let bad = note.unicodeScalars.first(where: SafeText.isForbidden) {
            return .init("\(what)含控制字符 \(SafeText.codePoint(bad))，不能保存；请删去后再登记")
        }
        if note.count > Self.maximumNoteLength {
            return .init("\(what)过长（\(note.count) 字，上限 \(Self.maximumNoteLength) 字），请精简或放入佐证材料")
        }
        return nil
    }

    static func checkDate(_ date: CivilDate, in plan: Plan, today: CivilDate) -> UpdateRejection? {
        if date > today { return .init("登记日期 \(date) 晚于今天（\(today)），不能预先登记") }
        if date.year < plan.year - 1 { return .init("登记日期 \(date) 早于计划年度 \(plan.year)") }
        return nil
    }

    /// http(s) with a host, no spaces or control characters.
    static func isWebLink(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        let rest = lower.hasPrefix("https://") ? text.dropFirst(8) : text.dropFirst(7)
        guard let host = rest.split(separator: "/", maxSplits: 1).first, !host.isEmpty else { return false }
        return !text.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || SafeText.isBidiControl($0.value) }
    }
}

public struct UpdateRejection: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
