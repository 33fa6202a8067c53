import DubanCore

/// A task row's cells, by the column they are under.
struct TableColumns: Equatable {
    var lead: String = ""
    var responsible: [String] = []
    var deadline: String = ""

    var names: String { ([lead] + responsible).joined(separator: "、") }
}

/// Task-split tables (任务分工方案): a header row names the columns (序号, 工作任务, 具体要求, 牵头单位,
/// 责任单位 / 配合单位, 完成时限), then one row per task. A row with one filled cell, or a change in a
/// category column, is a heading; a repeated header row (one per printed page) is skipped.
enum TableReader {
    enum Column: Equatable { case number, category, task, detail, lead, responsible, deadline, other }

    /// Header words by column; the first that a header cell contains decides (so 牵头单位 is not read as 单位).
    static let headerWords: [(Column, [String])] = [
        (.number, ["序号", "编号"]),
        (.lead, ["牵头单位", "牵头部门", "主责单位", "牵头"]),
        (.responsible, ["责任单位", "配合单位", "参与单位", "协办单位", "责任部门", "配合部门", "实施单位", "责任主体", "协同单位",
                        "责任科室", "责任处室", "责任股室", "承办科室", "单位"]),
        (.deadline, ["完成时限", "完成时间", "时间节点", "时限要求", "时间要求", "进度安排", "时间安排", "时限", "时间"]),
        (.detail, ["具体要求", "工作要求", "工作措施", "具体措施", "主要内容", "任务要求", "目标要求", "具体内容", "工作目标", "措施"]),
        (.task, ["工作任务", "主要任务", "重点任务", "任务名称", "工作事项", "任务内容", "工作内容", "重点工作", "具体任务", "任务", "事项", "内容"]),
        (.category, ["类别", "领域", "项目", "板块", "方面"]),
    ]

    /// The column a header cell names (.other for anything else, or anything long).
    static func column(of cell: String) -> Column {
        let c = cell.replacingOccurrences(of: " ", with: "")
        guard c.count <= 12 else { return .other }
        return headerWords.first { _, words in words.contains { c.contains($0) } }?.0 ?? .other
    }

    static func columns(ofHeader cells: [String]) -> [Column]? {
        let columns = cells.map(column(of:))
        let hasTask = columns.contains(.task) || columns.contains(.detail)
        let hasUnitsOrTime = columns.contains(.lead) || columns.contains(.responsible) || columns.contains(.deadline)
        return hasTask && hasUnitsOrTime ? columns : nil
    }

    enum Row {
        case heading(String, line: Int)
        case task(number: String, text: String, columns: TableColumns, line: Int)
    }

    /// The rows after a header, as headings and tasks. A row with fewer cells than the header lacks its leading
    /// cells, merged down from the row above (web copies drop them; .docx repeats them). A text column whose
    /// value runs on over consecutive rows groups them: each new value is a heading, and the task is the rest.
    static func read(_ rows: [(cells: [String], line: Int)], columns: [Column], header: [String]) -> [Row] {
        let n = columns.count
        var filled: [(cells: [String], line: Int, number: String)] = []
        let numbered = columns.contains(.number)
        for row in rows {
            var cells = row.cells
            // A 序号 the header has no column for: the row's own number, not a cell of the table.
            var number = ""
            if !numbered, let i = cells.prefix(2).firstIndex(where: isRowNumber),
               cells.count > 1 {
                number = cells.remove(at: i)
            }
            while cells.count > n, cells.last?.isEmpty == true { cells.removeLast() }
            if cells == header || cells.filter({ !$0.isEmpty }).isEmpty { continue }
            // One filled cell is a heading row (二、……); it is not merged down from the row above.
            if cells.filter({ !$0.isEmpty }).count == 1 {
                filled.append((cells.filter { !$0.isEmpty } + Array(repeating: "", count: max(0, n - 1)), row.line, number))
                continue
            }
            if cells.count > n { cells = Array(cells.prefix(n - 1)) + [cells[(n - 1)...].joined(separator: "")] }
            if cells.count < n {
                let above = filled.last?.cells ?? Array(repeating: "", count: n)
                cells = Array(above.prefix(n - cells.count)) + cells
            }
            filled.append((cells, row.line, number))
        }
        let textColumns = columns.indices.filter { [.task, .detail, .category, .other].contains(columns[$0]) }
        var grouping = textColumns.filter { c in
            columns[c] != .other || c < (columns.firstIndex(of: .task) ?? columns.firstIndex(of: .detail) ?? 0)
        }.filter { c in
            zip(filled, filled.dropFirst()).contains { !$0.cells[c].isEmpty && $0.cells[c] == $1.cells[c] }
                || columns[c] == .category
        }
        let itemColumns = textColumns.filter { !grouping.contains($0) && columns[$0] != .other }
        if itemColumns.isEmpty, let last = grouping.popLast() { grouping.removeAll { $0 > last } }
        let textOf = itemColumns.isEmpty ? textColumns.filter { !grouping.contains($0) } : itemColumns

        var result: [Row] = []
        var current = Array(repeating: "", count: n)
        for row in filled {
            let nonEmpty = row.cells.filter { !$0.isEmpty }
            if Set(nonEmpty).count == 1, row.cells.count > 1, textOf.allSatisfy({ row.cells[$0].isEmpty || row.cells[$0] == nonEmpty[0] }),
               columns.indices.filter({ [.lead, .responsible, .deadline].contains(columns[$0]) }).allSatisfy({ row.cells[$0].isEmpty || row.cells[$0] == nonEmpty[0] }) {
                result.append(.heading(nonEmpty[0], line: row.line))
                current = Array(repeating: "", count: n)
                continue
            }
            for c in grouping where !row.cells[c].isEmpty && row.cells[c] != current[c] {
                result.append(.heading(row.cells[c], line: row.line))
                current[c] = row.cells[c]
                for later in grouping where later > c { current[later] = "" }
            }
            func value(_ column: Column) -> [String] {
                columns.indices.filter { columns[$0] == column && !row.cells[$0].isEmpty }.map { row.cells[$0] }
            }
            var text = ""
            for c in textOf where !row.cells[c].isEmpty {
                if let last = text.last, !"。；：:".contains(last) { text += "。" }
                text += row.cells[c]
            }
            guard !text.isEmpty else { continue }
            // Without a 完成时限 column, a deadline may stand in a remarks column (备注：11月底前完成).
            let deadline = value(.deadline).joined(separator: "")
                .nonEmpty ?? value(.other).first(where: DeadlineParser.containsDeadline) ?? ""
            let fields = TableColumns(lead: value(.lead).joined(separator: "、"), responsible: value(.responsible), deadline: deadline)
            result.append(.task(number: value(.number).joined().nonEmpty ?? row.number, text: text, columns: fields, line: row.line))
        }
        return result
    }

    /// A 序号 cell: one to three digits.
    static func isRowNumber(_ cell: String) -> Bool { (1...3).contains(cell.count) && cell.allSatisfy { $0.isASCII && $0.isNumber } }

    /// A line that is one field of the task above it: 牵头单位：…, 责任单位：…, 完成时限：… (a table written out).
    /// The labelled fields of a line standing under an item: one ("牵头单位：市财政局") or several separated by ；
    /// ("牵头单位：市财政局；责任单位：市直各单位、各县市区人民政府"). A part without a label of its own continues the
    /// field before it; nil when the line does not open with a label.
    static func labelFields(_ line: String) -> [(Column, String)]? {
        guard let first = labelField(line) else { return nil }
        let parts = line.split(whereSeparator: { $0 == "；" || $0 == ";" }).map(String.init)
        guard parts.count > 1, let head = labelField(parts[0]) else { return [first] }
        var fields = [head]
        for part in parts.dropFirst() {
            if let field = labelField(part.trimmingCharacters(in: .whitespaces)) {
                fields.append(field)
            } else {
                fields[fields.count - 1].1 += "；" + part
            }
        }
        return fields
    }

    static func labelField(_ line: String) -> (Column, String)? {
        guard let colon = line.firstIndex(where: { $0 == "：" || $0 == ":" }) else { return nil }
        let label = line[..<colon].replacingOccurrences(of: " ", with: "")
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard (3...6).contains(label.count), !value.isEmpty else { return nil }
        for (column, words) in headerWords where [.lead, .responsible, .deadline].contains(column) {
            if words.contains(where: { $0.count >= 3 && label == $0 }) { return (column, value) }
        }
        return nil
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
