/// A numbered paragraph (or table row) with the paragraphs under it.
struct OutlineNode {
    var marker: Marker
    /// The paragraph's text after its marker.
    var text: String
    let line: Int
    /// The row's cells by column, when the node is a row of a task-split table.
    var columns: TableColumns?
    /// Unnumbered paragraphs that follow it before the next numbered one.
    var continuation: [Paragraph] = []
    var children: [OutlineNode] = []
}

/// The paragraphs of the body → a forest of numbered nodes. The level of a marker style is the order in which
/// styles first appear: a style already open closes everything opened after it (a new sibling); a style not
/// open yet starts a level below the current one. That is how a reader of an official document sees it,
/// whatever styles the office chose (一、 → 1. → （1）, or （一） → 1、, or headings → 1﹒).
struct OutlineBuilder {
    private(set) var roots: [OutlineNode] = []
    /// Paragraphs before the first numbered one.
    private(set) var leading: [Paragraph] = []
    private(set) var warnings: [ImportWarning] = []
    /// The path of open nodes: indices from the roots down.
    private var open: [(style: MarkerStyle, index: Int)] = []
    /// Per style: how many have been read since numbering (re)started, and the number last written.
    private var lastOrdinal: [MarkerStyle: Int] = [:]
    private var lastWritten: [MarkerStyle: Int] = [:]
    private var firstLine: [MarkerStyle: [Int: Int]] = [:]

    mutating func add(_ marker: Marker, text: String, line: Int, columns: TableColumns? = nil) {
        if let level = open.lastIndex(where: { $0.style == marker.style }) {
            open.removeSubrange(level...)
        }
        check(marker, line: line, firstOfItsParent: children(at: open).isEmpty)
        let node = OutlineNode(marker: marker, text: text, line: line, columns: columns)
        let index = append(node, under: open)
        open.append((marker.style, index))
    }

    /// A field line (牵头单位：…) of the node open last; false when no node is open.
    mutating func addField(_ column: TableReader.Column, _ value: String) -> Bool {
        guard !open.isEmpty else { return false }
        mutateNode(at: open) { node in
            var columns = node.columns ?? TableColumns()
            switch column {
            case .lead: columns.lead += (columns.lead.isEmpty ? "" : "、") + value
            case .responsible: columns.responsible.append(value)
            default: columns.deadline += value
            }
            node.columns = columns
        }
        return true
    }

    mutating func addUnnumbered(_ paragraph: Paragraph) {
        guard !open.isEmpty else {
            leading.append(paragraph)
            return
        }
        mutateNode(at: open) { $0.continuation.append(paragraph) }
    }

    /// Numbering that skips or repeats is reported; it is usually a scan's or a typist's slip, and the
    /// tree keeps the paragraph where it stands. Numbering may start again at 1 in a new part.
    private mutating func check(_ marker: Marker, line: Int, firstOfItsParent: Bool) {
        let style = marker.style
        guard style != .heading, style != .tableRow || marker.ordinal > 0 else { return }
        let last = lastOrdinal[style] ?? 0
        if marker.ordinal == 1 && (firstOfItsParent || last == 0) {
            firstLine[style] = [:]
        } else if let first = firstLine[style]?[marker.ordinal] {
            warnings.append(ImportWarning(line: line, kind: "repeated-number",
                                          message: "编号“\(marker.written)”重复（第 \(first) 行已有），按出现顺序排在第 \(last + 1) 项"))
        } else if marker.ordinal != (lastWritten[style] ?? last) + 1 {   // one slip is one warning, not one per later item
            warnings.append(ImportWarning(line: line, kind: "skipped-number",
                                          message: "编号“\(marker.written)”不连续：上一项是第 \(last) 项"))
        }
        firstLine[style, default: [:]][marker.ordinal] = firstLine[style]?[marker.ordinal] ?? line
        lastOrdinal[style] = (marker.ordinal == 1 && firstOfItsParent) ? 1 : last + 1
        lastWritten[style] = marker.ordinal
    }

    private func children(at path: [(style: MarkerStyle, index: Int)]) -> [OutlineNode] {
        var nodes = roots
        for step in path { nodes = nodes[step.index].children }
        return nodes
    }

    private mutating func append(_ node: OutlineNode, under path: [(style: MarkerStyle, index: Int)]) -> Int {
        if path.isEmpty {
            roots.append(node)
            return roots.count - 1
        }
        var index = 0
        mutateNode(at: path) { parent in
            parent.children.append(node)
            index = parent.children.count - 1
        }
        return index
    }

    private mutating func mutateNode(at path: [(style: MarkerStyle, index: Int)], _ change: (inout OutlineNode) -> Void) {
        func walk(_ nodes: inout [OutlineNode], _ depth: Int) {
            let i = path[depth].index
            if depth == path.count - 1 { change(&nodes[i]) } else { walk(&nodes[i].children, depth + 1) }
        }
        walk(&roots, 0)
    }
}

extension OutlineNode {
    /// Depth-first, with each node's depth.
    func walk(depth: Int = 0, _ visit: (OutlineNode, Int) -> Void) {
        visit(self, depth)
        for child in children { child.walk(depth: depth + 1, visit) }
    }
}
