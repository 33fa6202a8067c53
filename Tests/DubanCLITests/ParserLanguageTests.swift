import Foundation
import Testing

/// The argument parser's own words reach the clerk in Chinese, with the exit codes the help promises (issue 13, item 8).
@Suite struct ParserLanguage {
    static let english = ["Error:", "Usage:", "USAGE:", "OVERVIEW:", "OPTIONS:", "SUBCOMMANDS:", "ARGUMENTS:", "Show help",
                          "Show the version", "See '", "is invalid", "Missing", "Unknown option", "Unexpected", "Help:", "default:",
                          "Please provide", " or '", " and '", "values:"]

    static func english(in text: String) -> [String] { english.filter { text.contains($0) } }

    @Test(arguments: [
        ["workdays", "add", "2021-13-01", "3"], ["update", "changsha-2021", "1.1", "--unit"],
        ["update"], ["plans", "extra"], ["progress", "changsha-2021", "--bogus"], ["export", "--as-of", "明天"],
        ["progress", "changsha-2021", "--by", "foo"], ["export", "通报", "changsha-2021"],
    ])
    func wrongArgumentsAreExplainedInChinese(arguments: [String]) throws {
        let result = try DubanBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.status)")
        #expect(result.stderr.hasPrefix("错误：") || result.stderr.hasPrefix("duban: "), "\(result.stderr)")
        #expect(Self.english(in: result.stderr).isEmpty, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Every command's help, including where the parser wrapped its own phrase across a line ("(values:" at a line's end).
    @Test(arguments: [["--help"], ["help", "audit"], ["audit", "verify", "--help"]]
          + ["summary", "plans", "registry", "tree", "progress", "overdue", "update", "review", "extend", "lights", "reports", "changes",
             "carryover", "log", "export", "import", "demo", "audit", "access", "server", "check", "workdays"].map { [$0, "--help"] })
    func helpIsChinese(arguments: [String]) throws {
        let result = try DubanBinary.run(arguments)
        #expect(result.status == 0 && result.stderr.isEmpty)
        #expect(result.stdout.contains("用法："), "\(result.stdout)")
        #expect(Self.english(in: result.stdout).isEmpty, "\(result.stdout)")
    }

    /// Every exit code the top-level help lists is one duban really gives, and the other way round.
    @Test func theHelpListsTheRealExitCodes() throws {
        let help = try DubanBinary.run(["--help"]).stdout
        for code in ["0 成功", "1 其他错误", "2 参数或内容有误", "3 与他人的更新冲突", "4 未获允许", "5 审计发现"] {
            #expect(help.contains(code), "\(code)")
        }
    }
}
