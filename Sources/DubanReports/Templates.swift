import Foundation
import Mustache

/// The bulletin and reminder templates: the shipped wording, or a clerk's edited copies.
public struct TemplateSet: Sendable {
    public let bulletin: MustacheTemplate
    public let reminder: MustacheTemplate
    /// Where each template came from, for messages.
    public let sources: [String: String]

    public static let names = ["bulletin.mustache", "reminder.mustache"]

    /// Loads templates from `directory` where present there, otherwise the defaults. A template that
    /// does not parse is an error naming the file and line.
    public init(directory: String?) throws {
        var sources: [String: String] = [:]
        func load(_ name: String, _ fallback: String) throws -> MustacheTemplate {
            var text = fallback
            var source = "内置模板 \(name)"
            if let directory {
                let path = (directory as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path) {
                    guard let data = FileManager.default.contents(atPath: path), data.count < 1_000_000,
                          let content = String(data: data, encoding: .utf8) else {
                        throw ReportError.template(path, line: 1, "无法读取（应为 1 MB 以内的 UTF-8 文本）")
                    }
                    text = content
                    source = path
                }
            }
            sources[name] = source
            return try Self.compile(text, name: source)
        }
        bulletin = try load("bulletin.mustache", DefaultTemplates.bulletin)
        reminder = try load("reminder.mustache", DefaultTemplates.reminder)
        self.sources = sources
    }

    /// Compiles a template as plain text (no HTML escaping).
    public static func compile(_ text: String, name: String) throws -> MustacheTemplate {
        do {
            // On the template's first line, so error line numbers stay the file's.
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw ReportError.template(name, line: error.context.lineNumber, "\(explain(error.error))：\(error.context.line.trimmingLeadingSpaces)")
        }
    }

    static func explain(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: return "{{/…}} 与对应的 {{#…}} 名称不一致"
        case .unfinishedName?: return "{{ 没有配对的 }}"
        case .expectedSectionEnd?: return "{{#…}} 缺少对应的 {{/…}}"
        default: return "模板语法错误（\(error)）"
        }
    }
}
