import DubanCore

/// `duban import --review`: the imported tree beside the source lines it came from, for a clerk to confirm
/// before saving. Left, each node with its units and deadline; right, the document's lines from that node's
/// first line to the next node's, numbered; a warning sits under the node it concerns.
public enum ImportReview {
    public static func render(_ draft: PlanDraft, source: [String], warnings: [ImportWarning], width: Int,
                              display: DisplayWidth = DisplayWidth()) -> String {
        let total = max(60, width)
        let left = (total - 3) / 2, right = total - left - 3
        var out = [display.padded("导入结果：\(draft.title)（\(draft.year.value) 年，\(draft.city.value)）", to: left) + " │ 原文",
                   String(repeating: "─", count: left) + "─┼─" + String(repeating: "─", count: right)]
        var nodes: [(NodeDraft, Int)] = []
        func walk(_ n: NodeDraft, _ depth: Int) {
            nodes.append((n, depth))
            for c in n.children { walk(c, depth + 1) }
        }
        draft.sections.forEach { walk($0, 0) }
        let lines = nodes.compactMap { $0.0.location?.line }
        // Warnings about the document as a whole (its city, script, year, parts) come before the tree.
        let firstLine = lines.min() ?? Int.max
        for w in warnings where w.line < firstLine {
            out += wrap("⚠ 第 \(w.line) 行：\(SafeText.escaped(w.message))", to: total, display: display, rows: 6)
        }
        for (index, (node, depth)) in nodes.enumerated() {
            let indent = String(repeating: "  ", count: depth)
            var leftLines = ["\(indent)\(node.number.isEmpty ? "" : node.number)\(node.title.value)"]
            if node.kind != .section {
                let lead = (node.lead ?? []).map(\.value), responsible = (node.responsible ?? []).map(\.value)
                if node.lead != nil || node.responsible != nil {
                    leftLines.append("\(indent)  牵头：\(lead.isEmpty ? "—" : lead.joined(separator: "、"))")
                    leftLines.append("\(indent)  责任：\(responsible.isEmpty ? "—" : responsible.joined(separator: "、"))")
                }
                let deadline = node.deadline?.value ?? DeadlineParser.latest(in: node.text, planYear: draft.year.value)?.phrase
                leftLines.append("\(indent)  时限：\(deadline ?? "未写（按上级或年底）")")
            }
            let first = node.location?.line ?? 0
            let next = lines.first { $0 > first } ?? (index + 1 < nodes.count ? first + 1 : source.count + 1)
            // A warning goes under the first node whose lines hold it (sub-tasks read from one line share it).
            let ownsLine = index == 0 || nodes[index - 1].0.location?.line != first
            for w in warnings where ownsLine && w.line >= first && w.line < max(next, first + 1) {
                leftLines.append("\(indent)  ⚠ \(w.message)")
            }
            var rightLines: [String] = []
            if first > 0 {
                for n in first..<max(first + 1, next) where n - 1 < source.count {
                    let text = SafeText.escaped(source[n - 1].replacingOccurrences(of: "\t", with: " | ")).trimmingCharacters(in: .whitespaces)
                    if !text.isEmpty { rightLines.append("\(n)：\(text)") }
                }
            }
            // Warnings wrap (their advice is the point); source lines show their first three rows.
            let lefts = leftLines.map { SafeText.escaped($0) }.flatMap { wrap($0, to: left, display: display, rows: $0.contains("⚠") ? 8 : 1) }
            let rights = rightLines.flatMap { wrap($0, to: right, display: display, rows: 3) }
            for row in 0..<max(lefts.count, rights.count) {
                let l = row < lefts.count ? lefts[row] : ""
                let r = row < rights.count ? rights[row] : ""
                out.append(display.padded(l, to: left) + " │ " + r)
            }
            out.append(String(repeating: " ", count: left) + " │")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A line cut into rows of at most `columns` display columns; the last row ends in … when text remains.
    static func wrap(_ text: String, to columns: Int, display: DisplayWidth, rows: Int) -> [String] {
        var result: [String] = []
        var current = ""
        var width = 0
        for ch in text {
            let w = display.of(ch)
            if width + w > columns {
                result.append(current)
                current = "  "
                width = 2
                if result.count == rows { break }
            }
            current.append(ch)
            width += w
        }
        if result.count < rows { result.append(current) } else if let last = result.popLast() {
            result.append(display.truncated(last + "…", to: columns))
        }
        return result
    }
}
