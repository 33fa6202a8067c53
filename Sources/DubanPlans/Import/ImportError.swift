/// Why a file cannot be imported at all (as opposed to a warning about one line).
public enum ImportError: Error, CustomStringConvertible, Equatable {
    case unsupported(String)
    case notADocument(String)
    case tooLarge
    case empty
    case noStructure
    case noYear(String)
    case noPart(String, [String])

    public var description: String {
        switch self {
        case let .unsupported(what): return "无法导入：\(what)。可导入的格式：纯文本（UTF-8 或 GB18030/GBK 编码，.txt）和 Word 文档（.docx）"
        case let .notADocument(what): return "不是有效的 Word 文档：\(what)"
        case .tooLarge: return "文件过大：工作要点一般不超过 1 MB（上限：文件 16 MB，正文 200 万字，Word 文档内容 64 MB）"
        case .empty: return "文件是空的"
        case .noStructure: return "没有找到编号的段落（“一、”“（一）”“1.”“1、”“（1）”等）或任务分工表，无法识别为工作要点"
        case let .noPart(part, titles): return "没有标题含“\(part)”的计划；此文件中的计划是：\(titles.joined(separator: "；"))"
        case let .noYear(where_): return "无法确定计划年度：\(where_)都没有写年份；请用 --year 指定，例如 --year 2024"
        }
    }
}
