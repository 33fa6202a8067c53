/// A plan's assignment states, in the order of `plan.assignments` (nil: nothing recorded for that assignment).
///
/// A store hands over its rows by node and unit id as UTF-8 bytes; each is matched to its assignment by comparing bytes,
/// not by hashing: rows come grouped by node (a plan's states lie together in the store's index, by node and unit), so a
/// node is looked up once per run of its rows, and its unit is usually the next assignment after the one before. Any
/// order is still matched, only more slowly. (Keyed by `Assignment`, two Strings hashed on every insert and lookup, the
/// states were a tenth of a whole `progress` run at 14,280 assignments.)
public struct PlanStates: Sendable {
    public private(set) var states: [AssignmentState?]
    private let plan: Plan
    /// The node of the row before (its id and its assignments), and where the next row's unit is looked for first.
    private var node: (id: [UInt8], range: Range<Int>) = ([], 0..<0)
    private var next = 0

    public init(plan: Plan) {
        self.plan = plan
        states = Array(repeating: nil, count: plan.assignments.count)
    }

    /// The states of a dictionary (tests, and stores read assignment by assignment); assignments not in the plan are left out.
    public init(plan: Plan, _ byAssignment: [Assignment: AssignmentState]) {
        self.init(plan: plan)
        for (i, assignment) in plan.assignments.enumerated() { states[i] = byAssignment[assignment] }
    }

    public subscript(index: Int) -> AssignmentState? { states[index] }

    /// The states recorded, in the order of the plan's assignments.
    public var values: [AssignmentState] { states.compactMap { $0 } }

    /// The day of the latest state recorded (nil: none), without gathering the states first.
    public var latestDate: CivilDate? { states.lazy.compactMap { $0?.date }.max() }

    public subscript(assignment: Assignment) -> AssignmentState? {
        plan.assignmentRange(of: assignment.nodeID).first { plan.assignments[$0].unitID == assignment.unitID }.flatMap { states[$0] }
    }

    /// Records the state of the assignment of `nodeID` × `unitID` (UTF-8); a row for an assignment the plan does not have
    /// (a unit taken off a task after it reported) is ignored.
    public mutating func record(nodeID: UnsafeBufferPointer<UInt8>, unitID: UnsafeBufferPointer<UInt8>, _ state: AssignmentState) {
        if !node.id.elementsEqual(nodeID) {
            // The id kept in place (rows read as of a day come in no order, so nearly every row changes node).
            node.id.removeAll(keepingCapacity: true)
            node.id.append(contentsOf: nodeID)
            node.range = plan.assignmentRange(of: String(decoding: nodeID, as: UTF8.self))
            next = node.range.lowerBound
        }
        let range = node.range
        guard !range.isEmpty else { return }
        // From the one after the last match, round to it.
        var i = range.contains(next) ? next : range.lowerBound
        for _ in range {
            if Self.equal(plan.assignments[i].unitID, unitID) {
                states[i] = state
                next = i + 1
                return
            }
            i = i + 1 == range.upperBound ? range.lowerBound : i + 1
        }
    }

    private static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        string.utf8.count == bytes.count
            && (string.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) } ?? string.utf8.elementsEqual(bytes))
    }
}
