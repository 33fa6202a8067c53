import ArgumentParser
import DubanCore

/// `--as-of YYYY-MM-DD`: figures as they stood at the end of that day (default: today).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("按该日结束时的情况计算（默认今天）。", valueName: "YYYY-MM-DD"))
    var date: DateArgument?

    var day: CivilDate { date?.date ?? today() }
    /// nil when the question is about now, so the store can answer from its current-state table.
    var storeDay: CivilDate? { date?.date }
}
