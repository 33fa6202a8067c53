import Synchronization

/// A plan's figures on one day: every assignment's standing, the totals, and the rankings.
/// Built once per query from the store's states; every screen and report reads from it.
public struct PlanSnapshot: Sendable {
    public let plan: Plan
    public let asOf: CivilDate
    public let maths: ProgressMaths
    public let weights: ScoringWeights
    public let standings: [AssignmentStanding]
    public let totals: ProgressTotals
    /// Totals per node (a parent's are its leaves'), by the node's place in `plan.nodes`: screens ask for these per row,
    /// so they are worked out once here. A leaf's standings sit where its assignments do in `plan.assignments`.
    private let nodeTotals: [ProgressTotals]
    /// The district ranking, worked out on first use and kept: screens and documents ask for it per row,
    /// while a query about overdue items never needs it.
    private let rankingCache = Memo<DistrictRanking>()
    /// The whole overdue list, likewise: the dashboard's summary and overdue screens and the notes they show all read it.
    private let overdueCache = Memo<[Int]>()
    /// The whole list as standings too: the 逾期 screen asks for it on every frame and keypress.
    private let overdueStandingsCache = Memo<[AssignmentStanding]>()
    private let unitTotalsCache = Memo<[ProgressTotals]>()

    /// The plan's districts, ranked; then, unranked (rank 0), any that carry less than half the median district's
    /// load — a development zone with one task would otherwise head the ranking on a single record. The documents state
    /// this rule where they list them (`districtsApart`).
    public var districtRanking: [RankedUnit] { ranking.rows }
    public var districtsApart: [RankedUnit] { districtRanking.filter { !$0.isRanked } }
    private var medianDistrictLoad: Int { ranking.medianLoad }
    private var ranking: DistrictRanking { rankingCache.value { DistrictRanking(self) } }

    public init(plan: Plan, calendar: WorkdayCalendar, asOf: CivilDate, states: [Assignment: AssignmentState],
                weights: ScoringWeights = .standard, lights: LightRules = .standard) {
        self.init(plan: plan, calendar: calendar, asOf: asOf, states: PlanStates(plan: plan, states), weights: weights, lights: lights)
    }

    public init(plan: Plan, calendar: WorkdayCalendar, asOf: CivilDate, states: PlanStates,
                weights: ScoringWeights = .standard, lights: LightRules = .standard) {
        self.plan = plan
        self.asOf = asOf
        self.weights = weights
        maths = ProgressMaths(plan: plan, calendar: calendar, asOf: asOf, lights: lights)
        standings = maths.standings(states: states)
        totals = ProgressTotals(standings)
        reviewQueue = totals.pendingReview == 0 ? [] : standings.enumerated().filter { $0.element.verdict == .pendingReview }
            .sorted { ($0.element.doneOn ?? asOf, $0.offset) < ($1.element.doneOn ?? asOf, $1.offset) }
            .map(\.element)
        var byNode = Array(repeating: ProgressTotals(), count: plan.nodes.count)
        for i in plan.nodes.indices.reversed() {   // children before parents
            if plan.nodes[i].isLeaf {
                for j in plan.assignmentRange(ofNodeAt: i) { byNode[i].add(standings[j]) }
            } else {
                for child in plan.nodes[i].childIDs { if let c = plan.nodeIndex(of: child) { byNode[i].merge(byNode[c]) } }
            }
        }
        nodeTotals = byNode
    }

    /// The standings of one leaf node (each assigned unit's), in document order.
    public func standings(of nodeID: String) -> ArraySlice<AssignmentStanding> {
        standings[plan.assignmentRange(of: nodeID)]
    }

    /// Share of the plan period elapsed (时间进度).
    public var timeElapsed: Double { maths.timeElapsed }

    /// Completion behind time elapsed by at least a tenth of a point (as figures are shown): 进度落后于时间进度.
    /// How many percentage points the average progress (平均进度) trails the share of the year gone (时间进度); negative
    /// when ahead. Progress is compared with time, not the completion rate (完成率): that counts finished work only, and
    /// in September, with nearly every deadline at year-end, it would put the whole plan fifty points "behind".
    public var progressGap: Double { timeElapsed * 100 - totals.meanPercent }
    public var isBehindTime: Bool { progressGap >= 0.05 }


    /// Recommended for commendation (真抓实干督查激励): within the top `weights.commend` ranks, with work
    /// done, nothing overdue, and a fair share of the plan (at least half the districts' median number of
    /// assignments: one task done is not a record to commend).
    public func isCommended(_ row: RankedUnit) -> Bool {
        row.isRanked && row.rank <= weights.commend && row.totals.done > 0 && row.totals.overdue == 0
            && row.totals.inScope * 2 >= medianDistrictLoad
    }


    /// Every unit with assignments (departments and districts), ranked.
    public var unitRanking: [RankedUnit] {
        let totals = unitTotals
        return Ranking.rank(plan.registry.units.indices.filter { totals[$0].assignments > 0 }.map { plan.registry.units[$0] },
                            totals: self.totals(of:), weights: weights)
    }

    /// One unit's totals over this plan (nil: the registry does not have it).
    func totals(of unit: Unit) -> ProgressTotals? { plan.registry.index(ofUnitID: unit.id).map { unitTotals[$0] } }

    /// Every unit's totals, by its place in the registry: the rankings read them, the district ranking twice.
    private var unitTotals: [ProgressTotals] {
        unitTotalsCache.value {
            var totals = Array(repeating: ProgressTotals(), count: plan.registry.units.count)
            for (i, unit) in plan.assignmentUnits.enumerated() where unit >= 0 { totals[unit].add(standings[i]) }
            return totals
        }
    }

    /// Overdue assignments, oldest first (longest overdue), then by document order.
    public func overdue(unitID: String? = nil) -> [AssignmentStanding] {
        func list() -> [AssignmentStanding] { overduePlaces(unitID: unitID).map { standings[$0] } }
        return unitID == nil ? overdueStandingsCache.value(list) : list()
    }

    /// The same list as places in `standings`: what reads a few rows (the leader's five longest overdue) or writes them
    /// one at a time (`overdue --json`) need not copy 8,000 standings of some 180 bytes each first.
    public func overduePlaces(unitID: String? = nil) -> [Int] {
        // One unit's list is its part of the whole, in the same order; worked out on its own (filtering the whole list
        // copied 8,000 standings for a unit's few dozen: `overdue --unit` 36 → 40 ms).
        unitID == nil ? overdueCache.value { overdueList(unitID: nil) } : overdueList(unitID: unitID)
    }

    private func overdueList(unitID: String?) -> [Int] {
        // A node's assignments share its deadline: order the nodes (a few hundred) by deadline, document
        // order breaking ties, rather than sorting thousands of assignments. The node's own deadline, not its first
        // assignment's: an extension granted to that one would otherwise carry the whole node to its new date.
        let groups = plan.assignmentGroups
        let nodeDeadlines = groups.map { maths.effectiveDeadline(standings[$0.lowerBound].originalDeadline) }
        let ordered = groups.indices.sorted { a, b in
            let (x, y) = (nodeDeadlines[a], nodeDeadlines[b])
            return x != y ? x < y : a < b
        }
        var result: [Int] = []
        var extended = false
        for group in ordered {
            for place in groups[group]
            where standings[place].isOverdue && (unitID == nil || standings[place].assignment.unitID == unitID) {
                result.append(place)
                extended = extended || standings[place].isExtended
            }
        }
        // An approved extension moves one assignment's deadline off its node's: those few are put in their place.
        guard extended else { return result }
        return result.enumerated()
            .sorted { (standings[$0.element].effectiveDeadline, $0.offset) < (standings[$1.element].effectiveDeadline, $1.offset) }
            .map(\.element)
    }

    /// Never reported (未报送) although the plan has been in force for `StandingFilter.staleDays` days: before then,
    /// silence is only the start of the year.
    public func isUnreported(_ s: AssignmentStanding) -> Bool {
        s.lastUpdate == nil && !s.isSuspended && maths.periodStart.days(until: asOf) >= StandingFilter.staleDays
    }

    /// Claims of 已完成 awaiting the office's sign-off, the longest waiting first (then document order).
    /// Worked out once here: the 审核 screen reads it on every frame.
    public let reviewQueue: [AssignmentStanding]

    /// Totals over one node's leaves: the progress cookie of a tree node ([7/10] 70%).
    public func totals(of node: PlanNode) -> ProgressTotals { plan.nodeIndex(of: node.id).map { nodeTotals[$0] } ?? ProgressTotals() }
}

/// A value a snapshot works out on first use and keeps. A class, so a `let` snapshot can fill it.
final class Memo<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    func value(_ compute: () -> Value) -> Value {
        if let known = stored.withLock({ $0 }) { return known }
        let computed = compute()
        stored.withLock { $0 = computed }
        return computed
    }
}

/// The plan's districts ranked, those carrying less than half the median district's load listed apart.
struct DistrictRanking: Sendable {
    let rows: [RankedUnit]
    let medianLoad: Int

    init(_ snapshot: PlanSnapshot) {
        let all = Ranking.rank(snapshot.plan.districts, totals: snapshot.totals(of:), weights: snapshot.weights)
        let loads = all.map(\.totals.inScope).sorted()
        let median = loads.isEmpty ? 0 : loads[loads.count / 2]
        let eligible = Set(all.filter { $0.totals.inScope * 2 >= median }.map(\.unit.id))
        let ranked = Ranking.rank(snapshot.plan.districts.filter { eligible.contains($0.id) }, totals: snapshot.totals(of:),
                                  weights: snapshot.weights)
        let apart = all.filter { !eligible.contains($0.unit.id) }
            .map { RankedUnit(unit: $0.unit, totals: $0.totals, score: $0.score, rank: 0) }
        rows = ranked + apart
        medianLoad = median
    }
}
