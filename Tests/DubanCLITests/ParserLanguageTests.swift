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
        #expect(result.stderr.hasPrefix("duban: "), "\(result.stderr)")
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

/// The parser wraps a command's discussion by characters, at the last space of each 80 (a Chinese character counting
/// one), or at the next space after a longer run without one: a longer line broke wherever a space came ("退出码：0" /
/// "成功", an example cut before its note). So no line of a discussion is longer; commands longer than that continue
/// with a backslash, as a shell reads them.
@Test func noDiscussionLineIsLongEnoughForTheParserToBreak() throws {
    let sources = DubanBinary.repositoryRoot.appendingPathComponent("Sources/duban")
    var long: [String] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: sources.path) where name.hasSuffix(".swift") {
        let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
        for block in text.components(separatedBy: "discussion: \"\"\"\n").dropFirst() {
            guard let end = block.range(of: "\"\"\"") else { continue }
            // The closing delimiter's indentation is not part of the text.
            let closing = block[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.count } ?? 0
            for line in block[..<end.lowerBound].split(separator: "\n") where line.count - closing > 79 {
                long.append("\(name): \(line.dropFirst(closing))")
            }
        }
    }
    #expect(long.isEmpty, "\(long.joined(separator: "\n"))")
}
