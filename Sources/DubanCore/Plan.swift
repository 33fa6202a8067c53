public enum NodeKind: String, Sendable, Codable {
    case section, item, subtask
}

/// Where a node's lead and responsible units came from.
public enum UnitsSource: String, Sendable, Codable {
    /// The item's trailing clause （…牵头，…负责）.
    case clause
    /// The document gives no clause; the units are those its text names.
    case text
    /// Neither: the notice's addressees (主送).
    case addressees
    /// Not stated on the node: the parent's.
    case inherited
}

/// One section, work point or sub-task of a plan.
public struct PlanNode: Sendable, Identifiable, Codable {
    /// From the document's numbering: `2.7` = section 二, item （七）; `1.2.3` = its 三是.
    public let id: String
    public let parentID: String?
    public let kind: NodeKind
    /// The numbering as written: `一、`, `（七）`, `三是`.
    public let number: String
    public let title: String
    public let text: String
    public let unitsClause: String?
    public let unitsSource: UnitsSource?
    /// Units as the document names them (canonical names), collectives kept.
    public internal(set) var lead: [Unit]
    public internal(set) var responsible: [Unit]
    public let deadline: Deadline
    public let standingRules: [StandingRule]
    public internal(set) var childIDs: [String]
    /// False for sub-tasks the transcriber split out of an unnumbered paragraph.
    public let numbered: Bool
    public let location: SourceLocation?
    /// For last year's unfinished work taken over (回头看): the assignment's node in the plan it came from.
    public var carriedFrom: CarriedFrom?
}

/// Where a 回头看 item came from: its plan and node, whose history it continues.
public struct CarriedFrom: Sendable, Equatable, Codable {
    public let planID: String
    public let nodeID: String

    public init(planID: String, nodeID: String) {
        self.planID = planID
        self.nodeID = nodeID
    }

    /// `changsha-2021/1.2`, as the plan file writes it.
    public init?(text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(planID: parts[0], nodeID: parts[1])
    }

    public var text: String { "\(planID)/\(nodeID)" }
}

/// A unit that must act on a leaf node.
public struct Assignment: Sendable, Hashable {
    public let nodeID: String
    public let unitID: String

    public init(nodeID: String, unitID: String) {
        self.nodeID = nodeID
        self.unitID = unitID
    }
}

/// A year's 政务公开工作要点 (or a work programme) as a tree of nodes.
public struct Plan: Sendable, Identifiable {
    public let id: String
    public let city: String
    public let year: Int
    public let title: String
    public let issuer: String
    public let documentNumber: String?
    public let issued: CivilDate?
    public let source: String?
    public let noticeTitle: String?
    public let notice: String?
    public let preamble: String?
    public let closing: String?
    public let addressees: [Unit]
    /// The districts this plan supervises: the rows of its ranking.
    public let districts: [Unit]
    /// Every node in document order.
    public let nodes: [PlanNode]
    /// Leaf nodes × concrete units, in document order.
    public let assignments: [Assignment]
    /// Each assignment's unit by its place in `registry.units`: figures per unit add into an array, not a dictionary
    /// hashing a String per assignment.
    public let assignmentUnits: [Int]
    public let registry: UnitRegistry
    /// The plan file it was read from.
    public let location: SourceLocation?
    /// 审核销号: a unit's 已完成 counts once the office signs it off (plan-file key `review: true`).
    public let review: Bool
    /// When units report on this plan; nil: the settings' default (see PlanLibrary.reportCycle(for:)).
    public let reportCycle: ReportingCycle?
    private let index: [String: Int]
    /// Where each node's assignments lie in `assignments` (they come grouped by node), by the node's place in `nodes`;
    /// empty for a node without any. States read from a store are matched to their assignment through it (PlanStates),
    /// and a snapshot adds up each node's.
    private let assignmentRangesByNode: [Range<Int>]

    init(id: String, city: String, year: Int, title: String, issuer: String, documentNumber: String?, issued: CivilDate?,
         source: String?, noticeTitle: String?, notice: String?, preamble: String?, closing: String?,
         addressees: [Unit], districts: [Unit], nodes: [PlanNode], registry: UnitRegistry, location: SourceLocation?, review: Bool = false,
         reportCycle: ReportingCycle? = nil, assignments knownAssignments: (assignments: [Assignment], units: [Int])? = nil) {
        self.review = review
        self.reportCycle = reportCycle
        self.id = id
        self.city = city
        self.year = year
        self.title = title
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.issued = issued
        self.source = source
        self.noticeTitle = noticeTitle
        self.notice = notice
        self.preamble = preamble
        self.closing = closing
        self.addressees = addressees
        self.districts = districts
        self.nodes = nodes
        self.registry = registry
        self.location = location
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.id] = index[node.id] ?? i }
        self.index = index
        var assignments: [Assignment] = []
        if let knownAssignments {
            assignments = knownAssignments.assignments
            assignmentUnits = knownAssignments.units
        } else {
            for node in nodes where node.isLeaf && node.kind != .section {
                for unit in Plan.concreteUnits(of: node, registry: registry) {
                    assignments.append(Assignment(nodeID: node.id, unitID: unit.id))
                }
            }
            // Concrete units come from the registry, so each has its place there (-1 would be none).
            assignmentUnits = assignments.map { registry.index(ofUnitID: $0.unitID) ?? -1 }
        }
        self.assignments = assignments
        // A comparison per assignment with the one before, a lookup per node.
        var ranges = Array(repeating: 0..<0, count: nodes.count)
        var start = 0
        while start < assignments.count {
            let node = assignments[start].nodeID
            var end = start + 1
            while end < assignments.count, assignments[end].nodeID == node { end += 1 }
            if let i = index[node] { ranges[i] = start..<end }
            start = end
        }
        assignmentRangesByNode = ranges
    }

    /// Where the node of this id is in `nodes` (the first, should two share it).
    public func nodeIndex(of id: String) -> Int? { index[id] }

    /// The positions in `assignments` of one leaf node's assignments (empty for any other node).
    public func assignmentRange(of nodeID: String) -> Range<Int> { nodeIndex(of: nodeID).map(assignmentRange(ofNodeAt:)) ?? 0..<0 }

    /// The same by the node's place in `nodes`.
    public func assignmentRange(ofNodeAt index: Int) -> Range<Int> { assignmentRangesByNode[index] }

    /// Each leaf node's assignments in document order, one range per node that has any.
    public var assignmentGroups: [Range<Int>] { assignmentRangesByNode.filter { !$0.isEmpty } }

    public func node(_ id: String) -> PlanNode? { nodeIndex(of: id).map { nodes[$0] } }

    public func children(of node: PlanNode) -> [PlanNode] { node.childIDs.compactMap { self.node($0) } }

    public var sections: [PlanNode] { nodes.filter { $0.kind == .section } }
    public var items: [PlanNode] { nodes.filter { $0.kind == .item } }
    public var subtasks: [PlanNode] { nodes.filter { $0.kind == .subtask } }

    /// The concrete units that must act on a node: its own for a leaf, its leaves' for a parent.
    public func assignees(of node: PlanNode) -> [Unit] {
        if node.isLeaf {
            return node.kind == .section ? [] : Plan.concreteUnits(of: node, registry: registry)
        }
        var seen = Set<String>()
        return children(of: node).flatMap { assignees(of: $0) }.filter { seen.insert($0.id).inserted }
    }

    public func assignments(of unitID: String) -> [Assignment] { assignments.filter { $0.unitID == unitID } }

    static func concreteUnits(of node: PlanNode, registry: UnitRegistry) -> [Unit] {
        var seen = Set<String>()
        return (node.lead + node.responsible)
            .flatMap { registry.concreteUnits(for: $0) }
            .filter { seen.insert($0.id).inserted }
    }
}

extension PlanNode {
    public var isLeaf: Bool { childIDs.isEmpty }
}

extension Plan {
    /// The day the plan is looked at when nobody asks for another: today while its year runs (or before it begins);
    /// once the year is over, the last day anything was recorded for it, or its year-end when nothing was — as of
    /// today a finished plan would read years overdue and 100% of its time gone.
    /// (`lastRecorded` is asked for only once the year is over: a caller may read the store for it.)
    public func naturalAsOf(today: CivilDate, lastRecorded: @autoclosure () throws -> CivilDate?) rethrows -> CivilDate {
        guard isFinished(today: today) else { return today }
        return min(try lastRecorded() ?? CivilDate.endOfYear(year), today)
    }
}

extension Plan {
    /// The plan's year is over. Its figures are then read as of its last record (`naturalAsOf`), so a record dated
    /// today on a years-old plan would carry the whole plan to today, every open task years overdue: what records on
    /// it must name their day, or take the day on screen.
    public func isFinished(today: CivilDate) -> Bool { today.year > year }
}
