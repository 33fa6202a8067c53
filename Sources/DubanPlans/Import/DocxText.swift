import CExpat
import Foundation
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
        try collector.read(xml)
        return collector.lines.joined(separator: "\n")
    }

    /// Collects the lines from expat's events. Names are taken as written ("w:p"): without namespace processing, as
    /// Word always writes the `w` prefix.
    final class ParagraphCollector {
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

        func read(_ xml: Data) throws {
            guard let parser = XML_ParserCreate(nil) else { throw ImportError.notADocument("无法读取 word/document.xml（内存不足）") }
            defer { XML_ParserFree(parser) }
            XML_SetUserData(parser, Unmanaged.passUnretained(self).toOpaque())
            XML_SetElementHandler(parser, { user, name, attributes in
                guard let user, let name else { return }
                var values: [String: String] = [:]
                var next = attributes
                while let key = next?.pointee, let value = next?.successor().pointee {
                    values[String(cString: key)] = String(cString: value)
                    next = next?.advanced(by: 2)
                }
                Unmanaged<ParagraphCollector>.fromOpaque(user).takeUnretainedValue().start(String(cString: name), attributes: values)
            }, { user, name in
                guard let user, let name else { return }
                Unmanaged<ParagraphCollector>.fromOpaque(user).takeUnretainedValue().end(String(cString: name))
            })
            XML_SetCharacterDataHandler(parser) { user, text, length in
                guard let user, let text, length > 0 else { return }
                let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
                Unmanaged<ParagraphCollector>.fromOpaque(user).takeUnretainedValue().characters(String(decoding: bytes, as: UTF8.self))
            }
            let status = xml.withUnsafeBytes { bytes in
                XML_Parse(parser, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 1)
            }
            guard status == XML_STATUS_OK else {
                throw ImportError.notADocument("word/document.xml 第 \(XML_GetCurrentLineNumber(parser)) 行不是有效的 XML（\(Self.reason(XML_GetErrorCode(parser)))）")
            }
        }

        /// expat's reason in Chinese for what a damaged or hostile file gives, with expat's own words beside it.
        static func reason(_ code: XML_Error) -> String {
            let english = XML_ErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            let chinese: String? = switch code {
            case XML_ERROR_TAG_MISMATCH: "标签不配对"
            case XML_ERROR_SYNTAX, XML_ERROR_INVALID_TOKEN, XML_ERROR_UNCLOSED_TOKEN, XML_ERROR_PARTIAL_CHAR: "语法错误"
            case XML_ERROR_NO_ELEMENTS: "没有内容，或文件被截断"
            case XML_ERROR_UNDEFINED_ENTITY: "用了未定义的实体"
            case XML_ERROR_BAD_CHAR_REF: "无效的字符引用"
            case XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "正文结束后还有内容"
            case XML_ERROR_UNKNOWN_ENCODING, XML_ERROR_INCORRECT_ENCODING: "编码不对"
            case XML_ERROR_AMPLIFICATION_LIMIT_BREACH, XML_ERROR_RECURSIVE_ENTITY_REF: "实体展开过大或自我引用，疑为恶意文件"
            default: nil
            }
            return chinese.map { "\($0)：\(english)" } ?? english
        }

        private func start(_ name: String, attributes: [String: String]) {
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

        private func end(_ name: String) {
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

        private func characters(_ string: String) {
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
