/// Every key the dashboard answers to, with what it does: the help screen is generated from this table.
public enum KeyTable {
    public struct Binding: Sendable {
        public let keys: String
        public let action: String
        /// nil: every screen.
        public let screen: ScreenID?
        public let edits: Bool
    }

    public static let bindings: [Binding] = [
        Binding(keys: "1–9 / Tab", action: "切换页面：总览 任务 逾期 单位 历史 领导 审核 动态 总表", screen: nil, edits: false),
        Binding(keys: "p / P", action: "下一个 / 上一个计划", screen: nil, edits: false),
        Binding(keys: "[ / ]", action: "截至日期提前 / 推后一个月", screen: nil, edits: false),
        Binding(keys: "t", action: "截至日期回到今天（年度已结束的计划：回到最后记录日）", screen: nil, edits: false),
        Binding(keys: "g", action: "跳到输入的日期（如 2021-09-30）", screen: nil, edits: false),
        Binding(keys: "/", action: "搜索事项标题、正文和单位", screen: nil, edits: false),
        Binding(keys: "↑ ↓ PgUp PgDn", action: "移动光标（也可用 j k，鼠标点击选行）", screen: nil, edits: false),
        Binding(keys: "Home / End", action: "到第一行 / 最后一行（也可用 G 到最后）", screen: nil, edits: false),
        Binding(keys: "x", action: "导出本计划的通报（docx）和督办台账（xlsx），显示文件位置", screen: nil, edits: false),
        Binding(keys: "? / F1", action: "帮助（↑ ↓ PgUp PgDn 翻动）", screen: nil, edits: false),
        Binding(keys: "D", action: "数据库还没有记录时：填入一年的演示数据", screen: nil, edits: true),
        Binding(keys: "e", action: "登记所选任务的进展（单位、逾期、历史页；任务页为本单位的任务）", screen: nil, edits: true),
        Binding(keys: "q", action: "退出（表单有未保存内容时先确认）", screen: nil, edits: false),
        Binding(keys: "Enter", action: "打开所选区县（市）", screen: .overview, edits: false),
        Binding(keys: "Enter / 空格", action: "展开或折叠；← → 折叠 / 展开", screen: .tasks, edits: false),
        Binding(keys: "f", action: "按单位筛选 / 取消筛选", screen: .overdue, edits: false),
        Binding(keys: "v", action: "逾期 / 久未更新（未完成且 30 天以上无记录）切换", screen: .overdue, edits: false),
        Binding(keys: "s", action: "排序：时限、单位、进度、最近更新", screen: .overdue, edits: false),
        Binding(keys: "u", action: "选择单位：输入名称筛选，↑↓ 选择，Enter 确定", screen: .unit, edits: false),
        Binding(keys: "v", action: "筛选：全部、未完成、逾期、滞后、久未更新、已完成", screen: .unit, edits: false),
        Binding(keys: "s", action: "排序：编号、时限、进度、最近更新（久未更新在前）", screen: .unit, edits: false),
        Binding(keys: "Enter / h", action: "查看所选任务的历史", screen: .unit, edits: false),
        Binding(keys: "Tab ↑ ↓", action: "表单中切换栏目；← → 或空格改状态；登记日期可改为更早（补登）", screen: .unit, edits: true),
        Binding(keys: "Enter / Ctrl-S", action: "表单中保存；Esc 取消", screen: .unit, edits: true),
        Binding(keys: "Ctrl-Q", action: "在表单中退出程序（有未保存内容时先确认）", screen: .unit, edits: true),
        Binding(keys: "灯", action: "红＝逾期未完成，黄＝临期未完成或进度滞后，绿＝正常或已完成，灰＝暂缓", screen: .unit, edits: false),
        Binding(keys: "a", action: "审核通过所选申报，办结销号（管理员；先确认）", screen: .review, edits: true),
        Binding(keys: "r", action: "退回所选申报：在底行写明理由，Enter 退回（管理员）", screen: .review, edits: true),
        Binding(keys: "Enter / h", action: "查看所选任务的历史（申报说明、佐证材料）", screen: .review, edits: false),
        Binding(keys: "v", action: "近 7 天 / 近 30 天的变化：新完成、新增逾期、滞后、申报、退回、延期、灯色、未报", screen: .changes, edits: false),
        Binding(keys: "Enter", action: "查看所选变化的任务历史", screen: .changes, edits: false),
        Binding(keys: "↑↓ ←→", action: "在事项（行）和单位（列）间移动；底行说明光标所在格", screen: .board, edits: false),
        Binding(keys: "Home / End", action: "第一个 / 最后一个单位；PgUp PgDn 翻页", screen: .board, edits: false),
        Binding(keys: "Enter", action: "查看光标所在格的任务历史", screen: .board, edits: false),
    ]
}
