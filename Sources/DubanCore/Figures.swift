/// How an assignment stands on a given day: the supervisor's judgement, derived from its state and deadline.
public struct AssignmentStanding: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        case notStarted = "未启动"
        case inProgress = "推进中"
        case done = "已完成"
        case doneLate = "逾期完成"
        case overdue = "逾期"
        case suspended = "暂缓"
        /// Reported done in a plan under review, not yet signed off: not counted as done.
        case pendingReview = "待审核"
    }

    // Stored packed, the wide fields first and optionals as sentinels: a plan's figures hold one standing per
    // assignment (14,280 in a province's plan), and at 176 bytes each they were 2.5 MB of fresh pages on every command;
    // at 104 they are 1.5 MB. The public fields are the same, read through the properties below.
    public let assignment: Assignment
    /// The share of this assignment's period elapsed on the day, 0…1.
    public let timeElapsed: Double
    private let storedLastEventID: Int64, storedLastReportID: Int64   // 0: none (ids start at 1)
    private let storedDaysOverdue: Int32, storedWorkingDaysOverdue: Int32, storedDaysSinceDue: Int32   // .min: none
    /// The deadline in force: the plan's, or the one an approved extension set (then `originalDeadline` is the plan's).
    public let deadline: CivilDate
    public let originalDeadline: CivilDate
    /// The deadline moved past holidays: a deadline that falls on a day off is met by the next working day.
    public let effectiveDeadline: CivilDate
    private let storedRequestedTo: PackedDate, storedDoneOn: PackedDate, storedLastUpdate: PackedDate
    private let storedPercent: UInt8
    public let status: Status
    public let verdict: Verdict
    public let light: WarningLight
    /// Where a claim stands with the office, and a requested extension not yet decided.
    public let review: ReviewState?
    /// Not done, and the deadline among the next few working days (临期).
    public let dueSoon: Bool
    /// Percent below the share of its period that has elapsed (时间过半、任务过半), not yet due.
    public let lagging: Bool

    init(assignment: Assignment, deadline: CivilDate, originalDeadline: CivilDate, review: ReviewState?, requestedTo: CivilDate?,
         doneOn: CivilDate?, light: WarningLight, dueSoon: Bool, effectiveDeadline: CivilDate, status: Status, percent: Int,
         verdict: Verdict, daysOverdue: Int?, workingDaysOverdue: Int?, lagging: Bool, timeElapsed: Double, lastEventID: Int64?,
         lastReportID: Int64?, lastUpdate: CivilDate?, daysSinceDue: Int) {
        self.assignment = assignment
        self.timeElapsed = timeElapsed
        storedLastEventID = lastEventID ?? 0
        storedLastReportID = lastReportID ?? 0
        storedDaysOverdue = daysOverdue.map { Int32(clamping: $0) } ?? .min
        storedWorkingDaysOverdue = workingDaysOverdue.map { Int32(clamping: $0) } ?? .min
        storedDaysSinceDue = Int32(clamping: daysSinceDue)
        self.deadline = deadline
        self.originalDeadline = originalDeadline
        self.effectiveDeadline = effectiveDeadline
        storedRequestedTo = PackedDate(requestedTo)
        storedDoneOn = PackedDate(doneOn)
        storedLastUpdate = PackedDate(lastUpdate)
        storedPercent = UInt8(clamping: percent)
        self.status = status
        self.verdict = verdict
        self.light = light
        self.review = review
        self.dueSoon = dueSoon
        self.lagging = lagging
    }

    public var requestedTo: CivilDate? { storedRequestedTo.date }
    /// For work reported done: the day the unit reported it (its claim); done-late is measured from it.
    public var doneOn: CivilDate? { storedDoneOn.date }
    public var percent: Int { Int(storedPercent) }
    /// Days past the effective deadline, calendar and working, when overdue (or done late: how late).
    public var daysOverdue: Int? { storedDaysOverdue == .min ? nil : Int(storedDaysOverdue) }
    public var workingDaysOverdue: Int? { storedWorkingDaysOverdue == .min ? nil : Int(storedWorkingDaysOverdue) }
    public var lastEventID: Int64? { storedLastEventID == 0 ? nil : storedLastEventID }
    /// The unit's latest report: where the note and evidence a list shows come from (an office step may be later).
    public var lastReportID: Int64? { storedLastReportID == 0 ? nil : storedLastReportID }
    public var lastUpdate: CivilDate? { storedLastUpdate.date }

    public var isDone: Bool { verdict == .done || verdict == .doneLate }
    public var isExtended: Bool { deadline != originalDeadline }
    /// The office returned the unit's claim of 已完成 and the unit has not reported since.
    public var isReturned: Bool { review == .returned }
    public var isSuspended: Bool { verdict == .suspended }
    public var isOverdue: Bool { verdict == .overdue }
    public var isDue: Bool { !isSuspended && daysSinceDue >= 0 }
    var daysSinceDue: Int { Int(storedDaysSinceDue) }
}

/// An optional date in four bytes (a `CivilDate?` takes eight in a struct): its day number, `Int32.min` for none.
struct PackedDate: Sendable, Equatable {
    private let number: Int32
    init(_ date: CivilDate?) { number = date.map { Int32(clamping: $0.dayNumber) } ?? .min }
    var date: CivilDate? { number == .min ? nil : CivilDate(dayNumber: Int(number)) }
}

/// The supervisor's figures: per assignment, per unit or district, per plan. Pure: a plan, the states
/// read from the store, a calendar and a day in; numbers out.
public struct ProgressMaths: Sendable {
    public let plan: Plan
    public let calendar: WorkdayCalendar
    public let asOf: CivilDate
    public let lights: LightRules

    public init(plan: Plan, calendar: WorkdayCalendar, asOf: CivilDate, lights: LightRules = .standard) {
        self.plan = plan
        self.calendar = calendar
        self.asOf = asOf
        self.lights = lights
    }

    /// The plan's period: from its issue date (or 1 January) to 31 December of its year.
    public var periodStart: CivilDate { plan.issued.map { min($0, .endOfYear(plan.year)) } ?? CivilDate(year: plan.year, month: 1, day: 1)! }
    public var periodEnd: CivilDate { .endOfYear(plan.year) }

    /// Share of the plan period elapsed on `asOf`, 0…1.
    public var timeElapsed: Double { share(from: periodStart, to: periodEnd) }

    func share(from start: CivilDate, to end: CivilDate) -> Double {
        let total = start.days(until: end) + 1
        guard total > 0 else { return 1 }
        let passed = start.days(until: asOf) + 1
        return min(1, max(0, Double(passed) / Double(total)))
    }

    /// The first working day on or after `date`; the date itself where the calendar does not cover it.
    public func effectiveDeadline(_ date: CivilDate) -> CivilDate { calendar.firstWorkingDay(onOrAfter: date) }

    /// What every assignment of one node shares: its deadline moved past holidays, the share of its period
    /// elapsed, and the working days from that deadline to `asOf`. Assignments come grouped by node, so
    /// this is worked out once per node rather than once per assignment.
    struct NodeTerms {
        let nodeID: String
        let deadline: CivilDate
        let effective: CivilDate
        let elapsed: Double
        let workingDaysSinceDue: Int?
    }

    func terms(for nodeID: String) -> NodeTerms {
        let deadline = plan.node(nodeID)?.deadline.date ?? periodEnd
        let effective = effectiveDeadline(deadline)
        return NodeTerms(nodeID: nodeID, deadline: deadline, effective: effective,
                         elapsed: share(from: periodStart, to: deadline),
                         workingDaysSinceDue: effective < asOf ? try? calendar.workingDays(from: effective, to: asOf) : nil)
    }

    public func standing(of assignment: Assignment, state: AssignmentState?) -> AssignmentStanding {
        standing(of: assignment, state: state, terms: terms(for: assignment.nodeID))
    }

    func standing(of assignment: Assignment, state: AssignmentState?, terms nodeTerms: NodeTerms) -> AssignmentStanding {
        // An approved extension moves this assignment's deadline alone; the node's stays the original.
        var terms = nodeTerms
        if let extended = state?.extendedTo, extended != nodeTerms.deadline {
            let effective = effectiveDeadline(extended)
            terms = NodeTerms(nodeID: nodeTerms.nodeID, deadline: extended, effective: effective,
                              elapsed: share(from: periodStart, to: extended),
                              workingDaysSinceDue: effective < asOf ? try? calendar.workingDays(from: effective, to: asOf) : nil)
        }
        let deadline = terms.deadline
        let effective = terms.effective
        let status = state?.status ?? .notStarted
        let percent = state?.percent ?? 0
        let sinceDue = effective.days(until: asOf)
        var verdict: AssignmentStanding.Verdict
        var late: CivilDate?
        switch status {
        case .suspended:
            verdict = .suspended
        case .done:
            // Done-late is measured from the unit's claim, whenever the office signs it off.
            let doneOn = state?.doneOn ?? asOf
            if plan.review, state?.review != .approved {
                verdict = .pendingReview
            } else {
                verdict = doneOn > effective ? .doneLate : .done
            }
            if doneOn > effective { late = doneOn }
        case .notStarted, .inProgress:
            if sinceDue > 0 {
                verdict = .overdue
                late = asOf
            } else {
                verdict = status == .inProgress ? .inProgress : .notStarted
            }
        }
        var workingDaysLate: Int?
        if let late {
            workingDaysLate = late == asOf ? terms.workingDaysSinceDue : try? calendar.workingDays(from: effective, to: late)
        }
        let open = verdict == .inProgress || verdict == .notStarted
        let lagging = open && Double(percent) < terms.elapsed * 100 - lights.lagMargin - 0.0001
        // The deadline day and the working days just before it: workingDays counts those after today up to the deadline.
        let dueSoon = open && sinceDue <= 0
            && ((try? calendar.workingDays(from: asOf, to: effective)).map { $0 < lights.dueSoonWorkingDays } ?? false)
        let light: WarningLight
        switch verdict {
        case .suspended: light = .grey
        case .overdue: light = .red
        case .done, .doneLate, .pendingReview: light = .green
        case .inProgress, .notStarted: light = lagging || dueSoon ? .yellow : .green
        }
        return AssignmentStanding(
            assignment: assignment, deadline: deadline, originalDeadline: nodeTerms.deadline, review: state?.review,
            requestedTo: state?.requestedTo, doneOn: status == .done ? state?.doneOn : nil, light: light, dueSoon: dueSoon, effectiveDeadline: effective, status: status,
            percent: percent, verdict: verdict, daysOverdue: late.map { effective.days(until: $0) }, workingDaysOverdue: workingDaysLate,
            lagging: lagging, timeElapsed: terms.elapsed, lastEventID: state?.eventID, lastReportID: state?.reportEventID, lastUpdate: state?.date,
            daysSinceDue: sinceDue)
    }

    /// Every assignment of the plan, in document order.
    public func standings(states: PlanStates) -> [AssignmentStanding] {
        var terms: NodeTerms?
        return plan.assignments.indices.map { i in
            let assignment = plan.assignments[i]
            if terms?.nodeID != assignment.nodeID { terms = self.terms(for: assignment.nodeID) }
            return standing(of: assignment, state: states[i], terms: terms!)
        }
    }

    public func standings(states: [Assignment: AssignmentState]) -> [AssignmentStanding] {
        standings(states: PlanStates(plan: plan, states))
    }
}

/// Totals over a set of assignments: a unit, a district, a plan.
public struct ProgressTotals: Sendable, Equatable, Codable {
    public var assignments = 0
    public var suspended = 0
    public var due = 0
    public var done = 0
    public var doneOnTime = 0
    public var doneLate = 0
    public var inProgress = 0
    public var notStarted = 0
    public var overdue = 0
    public var lagging = 0
    /// Claimed done and awaiting the office's sign-off; returned by it; with an approved extension; due within days.
    public var pendingReview = 0
    public var returned = 0
    public var extended = 0
    public var dueSoon = 0
    /// Yellow lights; red are the overdue, grey the suspended, green the rest (see `count(of:)`).
    public var yellow = 0
    public var percentSum = 0
    /// Assignments that are due or already done: what the on-time rate is taken over.
    public var settled = 0

    enum CodingKeys: String, CodingKey {
        case assignments, suspended, due, done, overdue, lagging
        case doneOnTime = "done_on_time", doneLate = "done_late", inProgress = "in_progress"
        case notStarted = "not_started", percentSum = "percent_sum", settled
        case pendingReview = "pending_review", returned, extended, dueSoon = "due_soon", yellow
    }

    public init() {}

    public init(_ standings: [AssignmentStanding]) {
        for s in standings { add(s) }
    }

    public mutating func add(_ s: AssignmentStanding) {
        assignments += 1
        if s.isSuspended { suspended += 1; return }
        percentSum += s.isDone ? 100 : s.percent
        if s.isDue { due += 1 }
        if s.isDue || s.isDone { settled += 1 }
        switch s.verdict {
        case .done: done += 1; doneOnTime += 1
        case .doneLate: done += 1; doneLate += 1
        case .overdue: overdue += 1
        case .inProgress: inProgress += 1
        case .notStarted: notStarted += 1
        case .pendingReview: pendingReview += 1
        case .suspended: break
        }
        if s.lagging { lagging += 1 }
        if s.isReturned { returned += 1 }
        if s.isExtended { extended += 1 }
        if s.dueSoon { dueSoon += 1 }
        if s.light == .yellow { yellow += 1 }
    }

    public mutating func merge(_ other: ProgressTotals) {
        assignments += other.assignments
        suspended += other.suspended
        due += other.due
        done += other.done
        doneOnTime += other.doneOnTime
        doneLate += other.doneLate
        inProgress += other.inProgress
        notStarted += other.notStarted
        overdue += other.overdue
        lagging += other.lagging
        pendingReview += other.pendingReview
        returned += other.returned
        extended += other.extended
        dueSoon += other.dueSoon
        yellow += other.yellow
        percentSum += other.percentSum
        settled += other.settled
    }

    /// How many assignments show this light: the totals already count each kind, so no list is walked again.
    public func count(of light: WarningLight) -> Int {
        switch light {
        case .red: overdue
        case .yellow: yellow
        case .grey: suspended
        case .green: assignments - overdue - yellow - suspended
        }
    }

    /// Assignments that count: suspended ones leave the denominator.
    public var inScope: Int { assignments - suspended }
    /// done ÷ in scope.
    public var completionRate: Double { inScope == 0 ? 0 : Double(done) / Double(inScope) }
    /// Done on time ÷ (due or done): an item finished before its deadline counts for, never beyond, 100%.
    /// 1 when nothing is due or done yet.
    public var onTimeRate: Double { settled == 0 ? 1 : Double(doneOnTime) / Double(settled) }
    /// Mean reported progress, done counting as 100.
    public var meanPercent: Double { inScope == 0 ? 0 : Double(percentSum) / Double(inScope) }
}

/// How a district's or unit's score is made, for the ranking behind the 真抓实干 recommendation.
/// score = completion × 完成率 + onTime × 按时完成率 + progress × 平均进度 − overduePenalty × 逾期项数 (not below 0).
public struct ScoringWeights: Sendable, Equatable, Codable {
    public var completion: Double
    public var onTime: Double
    public var progress: Double
    public var overduePenalty: Double
    /// How many of the top-ranked are recommended for commendation.
    public var commend: Int

    public init(completion: Double = 50, onTime: Double = 30, progress: Double = 20, overduePenalty: Double = 2, commend: Int = 3) {
        self.completion = completion
        self.onTime = onTime
        self.progress = progress
        self.overduePenalty = overduePenalty
        self.commend = commend
    }

    public static let standard = ScoringWeights()

    public func score(_ t: ProgressTotals) -> Double {
        let raw = completion * t.completionRate + onTime * t.onTimeRate + progress * t.meanPercent / 100
            - overduePenalty * Double(t.overdue)
        return max(0, (raw * 10).rounded() / 10)
    }
}

/// One row of a ranking.
public struct RankedUnit: Sendable, Equatable {
    public let unit: Unit
    public let totals: ProgressTotals
    public let score: Double
    /// 1-based; equal scores share a rank. 0: listed but not ranked (see PlanSnapshot.districtRanking).
    public let rank: Int

    public var isRanked: Bool { rank > 0 }
    /// The rank as printed: — for a unit listed apart.
    public var rankText: String { rank > 0 ? String(rank) : "—" }
}

public enum Ranking {
    /// Units ordered by score (then completion rate, fewer overdue, name); units with nothing assigned are left out.
    public static func rank(_ units: [Unit], standings: [AssignmentStanding], weights: ScoringWeights) -> [RankedUnit] {
        var byUnit: [String: ProgressTotals] = [:]
        for standing in standings { byUnit[standing.assignment.unitID, default: ProgressTotals()].add(standing) }
        return rank(units, totals: { byUnit[$0.id] }, weights: weights)
    }

    /// The same from each unit's totals, worked out once (see PlanSnapshot): a ranking is asked for more than once.
    public static func rank(_ units: [Unit], totals: (Unit) -> ProgressTotals?, weights: ScoringWeights) -> [RankedUnit] {
        let scored = units.compactMap { unit -> (Unit, ProgressTotals, Double)? in
            guard let totals = totals(unit), totals.assignments > 0 else { return nil }
            return (unit, totals, weights.score(totals))
        }.sorted { a, b in
            if a.2 != b.2 { return a.2 > b.2 }
            if a.1.completionRate != b.1.completionRate { return a.1.completionRate > b.1.completionRate }
            if a.1.overdue != b.1.overdue { return a.1.overdue < b.1.overdue }
            return a.0.id < b.0.id
        }
        var result: [RankedUnit] = []
        for (index, entry) in scored.enumerated() {
            let rank = index > 0 && result[index - 1].score == entry.2 ? result[index - 1].rank : index + 1
            result.append(RankedUnit(unit: entry.0, totals: entry.1, score: entry.2, rank: rank))
        }
        return result
    }
}
