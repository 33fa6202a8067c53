import Foundation

/// swift-argument-parser writes its own words (errors, help headings, the help and version flags) in English and
/// offers no way to change them. duban's users read Chinese: the parser's fixed phrases are put into Chinese here, in
/// one table, on their way out. Text of duban's own (option help, messages) is Chinese already and passes unchanged.
enum ParserChinese {
    /// (English pattern, Chinese template): regular expressions over the parser's output, applied in order.
    static let phrases: [(String, String)] = [
        // The same prefix as duban's own errors ("duban: …"), so a clerk and a script read every error alike.
        (#"^Error: "#, "duban: "),
        (#"(?m)^Usage: "#, "用法："),
        (#"(?m)^  See '([^']+)' for more information\.$"#, "  运行 $1 查看说明。"),
        (#"(?m)^  See '([^']+) <subcommand>' for detailed help\.$"#, "  运行 $1 <子命令> 查看各子命令的说明。"),
        (#"(?m)^OVERVIEW: "#, "概述："),
        (#"(?m)^USAGE: "#, "用法："),
        (#"(?m)^ARGUMENTS:$"#, "参数："),
        (#"(?m)^OPTIONS:$"#, "选项："),
        (#"(?m)^SUBCOMMANDS:$"#, "子命令："),
        (#"(?m)^OPTION GROUPS:$"#, "选项组："),
        (#"Show help information\."#, "显示帮助。"),
        (#"Show the version\."#, "显示版本号。"),
        (#"\(default:\s+([^)]*)\)"#, "（默认：$1）"),
        (#"\(values:\s+([^)]*)\)"#, "（可选值：$1）"),
        (#"; default: "#, "；默认："),
        (#"<options>"#, "<选项>"),
        (#"<subcommand>"#, "<子命令>"),
        (#"The value '([^']*)' is invalid for '([^']*)': "#, "“$1”不是 $2 的有效值："),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "“$1”不是 $2 的有效值"),
        (#"Missing expected argument '([^']*)'"#, "缺少参数 $1"),
        (#"Missing value for '([^']*)'"#, "选项 $1 缺少值"),
        (#"Unknown option '([^']*)'"#, "没有选项 $1"),
        (#"(?m)Unexpected arguments? (.*)$"#, "多余的参数 $1"),
        (#"Flag '([^']*)' cannot be repeated"#, "选项 $1 不能重复"),
        (#"Did you mean '([^']*)'\?"#, "是否想输入 $1？"),
        (#"Value to be set with flag '([^']*)' had already been set with flag '([^']*)'"#, "选项 $1 与已给出的 $2 冲突"),
        (#"(?m)^Help:  "#, "说明："),
    ]

    static func translated(_ text: String) -> String {
        var result = text
        for (pattern, template) in phrases {
            result = result.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        // The allowed values, however many: "Please provide one of 'a', 'b' or 'c'." (two are joined by "and").
        while let range = result.range(of: #"\.? ?Please provide one of '[^']*'(?:(?:, |,? and |,? or )'[^']*')*\."#,
                                       options: .regularExpression) {
            let values = result[range].split(separator: "'", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            result.replaceSubrange(range, with: "：请给出 " + values.joined(separator: "、") + " 之一。")
        }
        return result
    }
}
