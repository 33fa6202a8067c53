import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The paragraphs of a .docx (word/document.xml), one per line.
public enum DocxText {
    public static func paragraphs(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        guard let entry = archive["word/document.xml"] else { throw ImportError.notADocument("缺少 word/document.xml") }
        guard entry.uncompressedSize < 64 * 1024 * 1024 else { throw ImportError.tooLarge }
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        let collector = ParagraphCollector()
        let parser = XMLParser(data: xml)
        parser.delegate = collector
        guard parser.parse() else { throw ImportError.notADocument("word/document.xml 不是有效的 XML") }
        return collector.paragraphs.joined(separator: "\n")
    }

    final class ParagraphCollector: NSObject, XMLParserDelegate {
        var paragraphs: [String] = []
        private var current = ""
        private var inText = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "w:p": current = ""
            case "w:t": inText = true
            case "w:tab": current += "\t"
            case "w:br": current += "\n"
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "w:t" { inText = false }
            if name == "w:p" { paragraphs.append(current) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }
    }
}

public enum ImportError: Error, CustomStringConvertible, Equatable {
    case unsupported(String)
    case notADocument(String)
    case tooLarge
    case empty
    case noStructure

    public var description: String {
        switch self {
        case let .unsupported(what): return "无法导入：\(what)。可导入的格式：纯文本（UTF-8 或 GB18030/GBK 编码，.txt）和 Word 文档（.docx）"
        case let .notADocument(what): return "不是有效的 Word 文档：\(what)"
        case .tooLarge: return "文件过大：工作要点一般不超过 1 MB，上限 16 MB"
        case .empty: return "文件是空的"
        case .noStructure: return "没有找到“一、”这样的章节编号和“（一）”这样的事项编号，无法识别为工作要点"
        }
    }
}
