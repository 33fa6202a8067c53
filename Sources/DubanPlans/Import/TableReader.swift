/// A task row's cells, by the column they are under.
struct TableColumns: Equatable {
    var lead: String = ""
    var responsible: [String] = []
    var deadline: String = ""
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
        (.responsible, ["责任单位", "配合单位", "参与单位", "协办单位", "责任部门", "配合部门", "实施单位", "责任主体", "协同单位", "单位"]),
        (.deadline, ["完成时限", "完成时间", "时间节点", "时限要求", "时间要求", "进度安排", "时间安排", "时限", "时间"]),
        (.detail, ["具体要求", "工作要求", "工作措施", "具体措施", "主要内容", "任务要求", "目标要求", "具体内容", "工作目标", "措施"]),
        (.task, ["工作任务", "主要任务", "重点任务", "任务名称", "工作事项", "任务内容", "工作内容", "重点工作", "具体任务", "任务", "事项", "内容"]),
        (.category, ["类别", "领域", "项目", "板块", "方面"]),
    ]

    static func columns(ofHeader cells: [String]) -> [Column]? {
        let columns = cells.map { cell -> Column in
            let c = cell.replacingOccurrences(of: " ", with: "")
            guard c.count <= 12 else { return .other }
            return headerWords.first { _, words in words.contains { c.contains($0) } }?.0 ?? .other
        }
        let hasTask = columns.contains(.task) || columns.contains(.detail)
        let hasUnitsOrTime = columns.contains(.lead) || columns.contains(.responsible) || columns.contains(.deadline)
        return hasTask && hasUnitsOrTime ? columns : nil
    }

    enum Row {
        case header
        case heading(String)
        case task(number: String, text: String, columns: TableColumns)
        case other
    }

    /// A row's meaning; a task row whose category cell changes is preceded by the category as a heading.
    static func read(_ cells: [String], columns: [Column], header: [String], category: inout String) -> [Row] {
        if cells == header { return [.header] }
        let filled = cells.filter { !$0.isEmpty }
        if filled.count == 1 { return [.heading(filled[0])] }
        func value(_ column: Column) -> [String] {
            zip(columns, cells).filter { $0.0 == column && !$0.1.isEmpty }.map(\.1)
        }
        let task = value(.task).joined(separator: "")
        let detail = value(.detail).joined(separator: "")
        guard !task.isEmpty || !detail.isEmpty else { return [.other] }
        var text = task
        if !detail.isEmpty {
            if let last = text.last, !"。；：:".contains(last) { text += "。" }
            text += detail
        }
        let row = TableColumns(lead: value(.lead).joined(separator: "、"), responsible: value(.responsible),
                               deadline: value(.deadline).joined(separator: ""))
        let taskRow = Row.task(number: value(.number).joined(), text: text, columns: row)
        let categoryValue = value(.category).joined()
        if !categoryValue.isEmpty && categoryValue != category {
            category = categoryValue
            return [.heading(categoryValue), taskRow]
        }
        return [taskRow]
    }
}
