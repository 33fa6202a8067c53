import ArgumentParser
import DubanCore

/// `--as-of YYYY-MM-DD`: figures as they stood at the end of that day (default: the plan's natural day — today while its
/// year runs, a finished year's last recorded day, as the dashboard and the leader's summary show it).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"),
            help: ArgumentHelp("按该日结束时的情况计算（默认今天；年度已结束的计划默认最后一次记录之日）。", valueName: "YYYY-MM-DD"))
    var date: DateArgument?

    /// The day a plan is looked at, given its states (read as of `storeDay`): see Plan.naturalAsOf.
    func day(for plan: Plan, states: PlanStates) -> CivilDate {
        date?.date ?? plan.naturalAsOf(today: today(), lastRecorded: states.latestDate)
    }
    /// nil when the question is about now, so the store can answer from its current-state table.
    var storeDay: CivilDate? { date?.date }
}
