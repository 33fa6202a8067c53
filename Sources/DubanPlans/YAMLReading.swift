import DubanCore
import Yams

/// Reads a YAML file into nodes that remember their line, and collects every problem as a diagnostic
/// (`file:line: message`) instead of stopping at the first.
final class YAMLReading {
    let file: String
    var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    func location(_ node: Node?) -> SourceLocation? {
        node?.mark.map { SourceLocation(file: file, line: $0.line) }
    }

    func error(_ message: String, at node: Node?) {
        diagnostics.append(.error(message, at: location(node) ?? SourceLocation(file: file, line: 1)))
    }

    /// Text in a plan file reaches terminals and documents: a control or bidi character in it is an error, named.
    func checkCharacters(_ text: String, key: String, what: String, at node: Node) {
        guard let bad = text.unicodeScalars.first(where: SafeText.isForbidden) else { return }
        error("\(what)的“\(key)”含控制字符 \(SafeText.codePoint(bad))（会扰乱终端和文档），请删去", at: node)
    }

    /// The document's root node, or nil with a diagnostic naming the line the YAML broke on.
    func root(of text: String) -> Node? {
        do {
            // The basic resolver: every scalar is read as text here, and regex tag resolution dominated load time.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                diagnostics.append(.error("文件为空", at: SourceLocation(file: file, line: 1)))
                return nil
            }
            return node
        } catch let error as YamlError {
            diagnostics.append(YAMLReading.describe(error, file: file))
            return nil
        } catch {
            diagnostics.append(.error("无法读取 YAML：\(error)", at: SourceLocation(file: file, line: 1)))
            return nil
        }
    }

    static func describe(_ error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { "（\($0.text)，始于第 \($0.mark.line) 行）" } ?? ""
            return .error("YAML 格式错误：\(problem)\(while_)", at: at(mark))
        case let .reader(problem, _, _, _):
            return .error("文件不是有效的 UTF-8 文本：\(problem)", at: SourceLocation(file: file, line: 1))
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("键重复：\(duplicates.joined(separator: "、"))", at: at(context.mark))
        default:
            return .error("YAML 格式错误：\(error)", at: SourceLocation(file: file, line: 1))
        }
    }

    /// A mapping's fields, read by key; keys nobody asked for are reported when `finish` is called,
    /// so a misspelt field (`responsable:`) is an error rather than silently ignored.
    func fields(_ node: Node, what: String) -> Fields? {
        guard case let .mapping(mapping) = node else {
            error("\(what)应为“键: 值”的映射", at: node)
            return nil
        }
        return Fields(reader: self, node: node, mapping: mapping, what: what)
    }

    final class Fields {
        let reader: YAMLReading
        let node: Node
        let what: String
        private var values: [(key: String, keyNode: Node, value: Node)] = []
        private var used = Set<String>()

        init(reader: YAMLReading, node: Node, mapping: Node.Mapping, what: String) {
            self.reader = reader
            self.node = node
            self.what = what
            for (key, value) in mapping {
                values.append((key.string ?? "", key, value))
            }
        }

        var location: SourceLocation? { reader.location(node) }

        func node(_ key: String) -> Node? {
            used.insert(key)
            return values.first { $0.key == key }?.value
        }

        func has(_ key: String) -> Bool { values.contains { $0.key == key } }

        /// Every entry, for mappings keyed by name (accounts, groups); all count as read.
        func entries() -> [(key: String, keyNode: Node, value: Node)] {
            values.forEach { used.insert($0.key) }
            return values
        }

        func string(_ key: String, required: Bool = false) -> Located<String>? {
            guard let value = node(key), !isNull(value) else {
                if required { reader.error("\(what)缺少“\(key)”", at: node) }
                return nil
            }
            guard case let .scalar(scalar) = value else {
                reader.error("\(what)的“\(key)”应为文字", at: value)
                return nil
            }
            reader.checkCharacters(scalar.string, key: key, what: what, at: value)
            return Located(scalar.string, at: reader.location(value))
        }

        func int(_ key: String, required: Bool = false) -> Located<Int>? {
            guard let text = string(key, required: required) else { return nil }
            guard let number = Int(text.value) else {
                reader.diagnostics.append(.error("\(what)的“\(key)”应为整数，而不是“\(text.value)”", at: text.location))
                return nil
            }
            return Located(number, at: text.location)
        }

        func bool(_ key: String) -> Bool? {
            guard let text = string(key) else { return nil }
            switch text.value.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default:
                reader.diagnostics.append(.error("\(what)的“\(key)”应为 true 或 false", at: text.location))
                return nil
            }
        }

        /// A list of strings; a single string is accepted as a one-item list.
        func strings(_ key: String) -> [Located<String>]? {
            guard let value = node(key), !isNull(value) else { return nil }
            switch value {
            case let .scalar(scalar):
                reader.checkCharacters(scalar.string, key: key, what: what, at: value)
                return [Located(scalar.string, at: reader.location(value))]
            case let .sequence(sequence):
                return sequence.compactMap { element in
                    guard case let .scalar(scalar) = element else {
                        reader.error("\(what)的“\(key)”应为文字列表", at: element)
                        return nil
                    }
                    reader.checkCharacters(scalar.string, key: key, what: what, at: element)
                    return Located(scalar.string, at: reader.location(element))
                }
            default:
                reader.error("\(what)的“\(key)”应为文字列表", at: value)
                return nil
            }
        }

        func sequence(_ key: String) -> [Node]? {
            guard let value = node(key), !isNull(value) else { return nil }
            guard case let .sequence(sequence) = value else {
                reader.error("\(what)的“\(key)”应为列表（每项以“- ”开头）", at: value)
                return nil
            }
            return Array(sequence)
        }

        /// Reports keys that were never read.
        func finish() {
            for entry in values where !used.contains(entry.key) {
                let known = used.sorted().joined(separator: "、")
                reader.error("\(what)中有未知的键“\(entry.key)”（可用的键：\(known)）", at: entry.keyNode)
            }
        }

        private func isNull(_ node: Node) -> Bool {
            if case let .scalar(scalar) = node, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { return true }
            return false
        }
    }
}
