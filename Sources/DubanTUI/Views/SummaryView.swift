import DubanCore

/// The leader's screen: the plan's completion against time elapsed in large figures, every district as a
/// ranked bar, and the longest-overdue items with their owners. Nothing on it can be edited.
enum SummaryView {
    static let font: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"], "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"], "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"], "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"], "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"], "9": ["###", "# #", "###", "  #", "###"],
        ".": [" ", " ", " ", " ", "#"], "%": ["# #", "  #", " # ", "#  ", "# #"],
    ]

    /// Three-row figures from half and full blocks, for terminals that draw them one column wide.
    static let compactFont: [Character: [String]] = [
        "0": ["█▀█", "█ █", "▀▀▀"], "1": ["▀█ ", " █ ", "▀▀▀"], "2": ["▀▀█", "█▀▀", "▀▀▀"], "3": ["▀▀█", " ▀█", "▀▀▀"],
        "4": ["█ █", "▀▀█", "  ▀"], "5": ["█▀▀", "▀▀█", "▀▀▀"], "6": ["█▀▀", "█▀█", "▀▀▀"], "7": ["▀▀█", "  █", "  ▀"],
        "8": ["█▀█", "█▀█", "▀▀▀"], "9": ["█▀█", "▀▀█", "▀▀▀"], ".": [" ", " ", "▀"], "%": ["▀ █", " █ ", "█ ▄"],
    ]

    /// A number in large figures: three rows of blocks, or (where blocks are two columns wide) five rows of '#'.
    static func bigText(_ text: String, _ s: DisplaySettings) -> [String] {
        let rows = s.ascii ? 5 : 3
        var out = Array(repeating: "", count: rows)
        for ch in text {
            guard let glyph = s.ascii ? font[ch] : compactFont[ch] else { continue }
            for i in 0..<rows { out[i] += glyph[i] + " " }
        }
        return out
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData, top: Int) {
        let s = state.settings
        let snapshot = data.snapshot
        let t = snapshot.totals
        var y = top
        let half = grid.width / 2
        grid.put("完成率（\(t.done)/\(t.inScope)）", x: 1, y: y, style: s.heading)
        grid.put("时间进度", x: half + 1, y: y, style: s.heading)
        y += 1
        let behind = snapshot.isBehindTime
        let completion = bigText(NumberText.percent(t.completionRate), s)
        let elapsed = bigText(NumberText.percent(snapshot.timeElapsed), s)
        // Every district gets its row first; the large figures only where they still fit.
        let (ranking, ranked) = data.leaderRanking
        let spare = grid.height - 1 - y - (2 + 1 + ranking.count + 2 + 1)
        if spare >= completion.count {
            for i in completion.indices {
                grid.put(completion[i], x: 1, y: y + i, style: behind ? s.warn : s.good, limit: half - 2)
                grid.put(elapsed[i], x: half + 1, y: y + i, limit: grid.width - half - 2)
            }
            y += completion.count
        } else {
            grid.put(NumberText.percent(t.completionRate), x: 1, y: y, style: behind ? s.warn : s.good)
            grid.put(NumberText.percent(snapshot.timeElapsed), x: half + 1, y: y)
            y += 1
        }
        let verdict = "平均进度 \(NumberText.oneDecimal(t.meanPercent))%，" + (behind
            ? "落后于时间 \(NumberText.oneDecimal(snapshot.progressGap)) 个百分点" : "不落后于时间")
        let counts = "逾期 \(t.overdue) 项  逾期完成 \(t.doneLate) 项  滞后 \(t.lagging) 项"
        let style = t.overdue > 0 ? s.bad : s.good
        if s.measure.of(counts + "  " + verdict) <= grid.width - 2 {
            grid.put(counts + "  " + verdict, x: 1, y: y, style: style)
        } else {
            // Too narrow for one line: the verdict takes the blank line below rather than lose its figure.
            grid.put(counts, x: 1, y: y, style: style, limit: grid.width - 2)
            y += 1
            grid.put(verdict, x: 1, y: y, style: style, limit: grid.width - 2)
        }
        y += 2

        let overdue = snapshot.overduePlaces()
        let overdueCount = overdue.count
        let roomForOverdue = grid.height - 1 - y - (1 + ranking.count) - 2
        let overdueRows = min(5, overdueCount, max(0, roomForOverdue))
        let available = grid.height - 1 - y - (overdueRows > 0 ? overdueRows + 2 : 0)
        guard available > 1 else { return }
        // Ranked by 得分 (the assessment's measure), which the bar (完成率) alone would not explain: both are shown.
        let anyCommended = ranking.contains { snapshot.isCommended($0) }
        grid.put("各\(ranked)按得分排名（条为完成率" + (anyCommended ? "，\(s.star) 建议表扬" : "") + "）", x: 1, y: y, style: s.heading,
                 limit: grid.width - 2)
        y += 1
        // As wide as the longest name, up to 16 columns; a longer one is cut with "…" (cut clean, 第十区 and 第十一区
        // both read 第十, and a leader could not tell the two rows apart).
        let nameWidth = min(16, max(6, ranking.map { s.measure.of($0.unit.name) }.max() ?? 0))
        let barWidth = max(4, grid.width - nameWidth - 33)
        for row in ranking.prefix(max(0, available - 1)) {
            let commended = snapshot.isCommended(row)
            grid.put(row.rankText, x: 1, y: y)
            grid.put(s.measure.truncated(row.unit.name, to: nameWidth), x: 4, y: y, style: commended ? s.good : .plain)
            grid.put(s.bar(row.totals.completionRate, width: barWidth), x: 5 + nameWidth, y: y,
                     style: row.totals.completionRate + 0.0001 < snapshot.timeElapsed ? s.warn : s.good)
            let figure = NumberText.percent(row.totals.completionRate)
            var right = String(repeating: " ", count: max(1, 7 - figure.count)) + figure
            right += " " + String(repeating: " ", count: max(0, 5 - NumberText.oneDecimal(row.score).count)) + NumberText.oneDecimal(row.score) + "分"
            if commended { right += s.star }
            if row.totals.overdue > 0 { right += " 逾期\(row.totals.overdue)" }
            grid.put(right, x: 5 + nameWidth + barWidth, y: y, style: row.totals.overdue > 0 ? s.bad : .plain)
            y += 1
        }
        guard overdueRows > 0, y + 1 < grid.height - 1 else { return }
        y += 1
        grid.put("逾期最久的任务", x: 1, y: y, style: s.heading)
        y += 1
        for standing in overdue.prefix(grid.height - 1 - y).map({ snapshot.standings[$0] }) {
            let unit = data.plan.registry.unit(id: standing.assignment.unitID)?.name ?? standing.assignment.unitID
            let title = data.plan.node(standing.assignment.nodeID)?.title ?? ""
            // How long is the point of the line: the days are always whole, the unit and the title give way (cut with "…").
            let days = " 逾期\(standing.daysOverdue ?? 0)天"
            let right = max(6, grid.width - 28)
            grid.put(s.measure.truncated("\(standing.assignment.nodeID) \(title)", to: max(4, right - 2)), x: 1, y: y)
            let unitRoom = max(2, grid.width - 1 - right - s.measure.of(days))
            grid.put(s.measure.truncated(unit, to: unitRoom) + days, x: right, y: y, style: s.bad, limit: grid.width - 1 - right)
            y += 1
        }
    }
}
