import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The paragraphs of a .docx (word/document.xml), one per line. A table row is one line with its cells
/// separated by tabs, as a spreadsheet copy would give it: the importer reads task-split tables
/// (序号, 工作任务, 牵头单位, 责任单位, 完成时限) from such rows. A cell merged down from the one above
/// (w:vMerge) repeats its text, and a cell spanning columns (w:gridSpan) keeps the columns aligned.
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
        return collector.lines.joined(separator: "\n")
    }

    final class ParagraphCollector: NSObject, XMLParserDelegate {
        var lines: [String] = []
        private var current = ""
        private var inText = false
        // Tables: the row being read, the cell being read, and the row above (for vertical merges).
        private var tableDepth = 0
        private var row: [String] = []
        private var cellParagraphs: [String] = []
        private var cellContinues = false
        private var cellSpan = 1
        private var rowAbove: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "w:p": current = ""
            case "w:t": inText = true
            case "w:tab": current += "\t"
            case "w:br", "w:cr": current += "\n"
            case "w:tbl":
                tableDepth += 1
                if tableDepth == 1 { rowAbove = [] }
            case "w:tr" where tableDepth == 1: row = []
            case "w:tc" where tableDepth == 1:
                cellParagraphs = []
                cellContinues = false
                cellSpan = 1
            case "w:vMerge" where tableDepth == 1:
                cellContinues = (attributes["w:val"] ?? "continue") == "continue"
            case "w:gridSpan" where tableDepth == 1:
                cellSpan = max(1, min(20, Int(attributes["w:val"] ?? "1") ?? 1))
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:t": inText = false
            case "w:p":
                if tableDepth == 0 { lines.append(current) } else { cellParagraphs.append(current) }
            case "w:tc" where tableDepth == 1:
                var text = Self.cellText(cellParagraphs)
                if cellContinues, row.count < rowAbove.count { text = rowAbove[row.count] }
                row.append(text)
                for _ in 1..<cellSpan { row.append("") }
            case "w:tr" where tableDepth == 1:
                rowAbove = row
                lines.append(row.joined(separator: "\t"))
            case "w:tbl": tableDepth -= 1
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        /// A cell's paragraphs as one line: short ones (a unit per line) joined by 、, sentences run together.
        static func cellText(_ paragraphs: [String]) -> String {
            let parts = paragraphs.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: "")
                .trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var text = ""
            for part in parts {
                if let last = text.last, !"。；;，,、：:".contains(last), part.count < 20, !part.contains("。") { text += "、" }
                text += part
            }
            return text
        }
    }
}
