import ArgumentParser
import DubanCore
import DubanPlans

struct WorkdaysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workdays",
        abstract: "工作日计算（按国务院办公厅节假日安排，含调休上班日）。",
        subcommands: [Add.self, Between.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "某日期之后第 N 个工作日（N 为负数时向前推算）。",
            discussion: "例：duban workdays add 2021-09-30 1 → 2021-10-08")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "起始日期 YYYY-MM-DD。") var date: DateArgument
        @Argument(help: "工作日数；向前推算时写负数并放在 -- 之后：duban workdays add 2021-10-08 -- -1。") var days: Int
        @Flag(help: "以 JSON 输出。") var json = false

        struct Output: Encodable {
            let from: String
            let working_days: Int
            let date: String
        }

        mutating func run() throws {
            try reporting {
                let calendar = try global.loadLibrary(quiet: true, only: []).calendar
                let result: CivilDate
                do {
                    result = try calendar.adding(workingDays: days, to: date.date)
                } catch let error as WorkdayCalendarError {
                    throw CLIError(error.description)
                }
                if json { return try printJSON(Output(from: date.date.description, working_days: days, date: result.description)) }
                print(result.description)
            }
        }
    }

    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "between",
            abstract: "两个日期之间的工作日数：第一个日期之后、到第二个日期为止（含）。",
            discussion: "例：duban workdays between 2021-09-30 2021-10-08 → 1")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "起始日期 YYYY-MM-DD。") var from: DateArgument
        @Argument(help: "截止日期 YYYY-MM-DD。") var to: DateArgument
        @Flag(help: "以 JSON 输出。") var json = false

        struct Output: Encodable {
            let from: String
            let to: String
            let working_days: Int
            let calendar_days: Int
        }

        mutating func run() throws {
            try reporting {
                let calendar = try global.loadLibrary(quiet: true, only: []).calendar
                let count: Int
                do {
                    count = try calendar.workingDays(from: from.date, to: to.date)
                } catch let error as WorkdayCalendarError {
                    throw CLIError(error.description)
                }
                if json {
                    return try printJSON(Output(from: from.date.description, to: to.date.description, working_days: count,
                                                calendar_days: from.date.days(until: to.date)))
                }
                print(count)
            }
        }
    }
}
