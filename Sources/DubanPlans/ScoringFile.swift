import DubanCore
import Yams

/// Reads the ranking weights and the warning lights' thresholds (Plans/scoring.yaml). Missing keys keep their defaults.
public enum ScoringFile {
    public static func parse(_ text: String, file: String) -> (ScoringWeights?, [Diagnostic]) {
        let (weights, _, diagnostics) = parseSettings(text, file: file)
        return (weights, diagnostics)
    }

    public static func parseSettings(_ text: String, file: String) -> (ScoringWeights?, LightRules?, [Diagnostic]) {
        let (weights, lights, _, diagnostics) = parseAll(text, file: file)
        return (weights, lights, diagnostics)
    }

    /// The weights, the lights' thresholds and the default reporting cycle.
    public static func parseAll(_ text: String, file: String) -> (ScoringWeights?, LightRules?, ReportingCycle?, [Diagnostic]) {
        let reader = YAMLReading(file: file)
        guard let root = reader.root(of: text), let f = reader.fields(root, what: "评分权重") else { return (nil, nil, nil, reader.diagnostics) }
        var weights = ScoringWeights.standard
        func number(_ key: String) -> Double? {
            guard let text = f.string(key) else { return nil }
            guard let value = Double(text.value), value >= 0, value <= 1000 else {
                reader.diagnostics.append(.error("“\(key)”应为 0 到 1000 之间的数，而不是“\(text.value)”", at: text.location))
                return nil
            }
            return value
        }
        if let v = number("completion") { weights.completion = v }
        if let v = number("on_time") { weights.onTime = v }
        if let v = number("progress") { weights.progress = v }
        if let v = number("overdue_penalty") { weights.overduePenalty = v }
        if let v = f.int("commend") {
            if (0...20).contains(v.value) { weights.commend = v.value } else {
                reader.diagnostics.append(.error("“commend”应为 0 到 20 之间的整数", at: v.location))
            }
        }
        var lights = LightRules.standard
        if let v = f.int("due_soon_working_days") {
            if (0...30).contains(v.value) { lights.dueSoonWorkingDays = v.value } else {
                reader.diagnostics.append(.error("“due_soon_working_days”应为 0 到 30 之间的整数（0：不亮临期黄灯）", at: v.location))
            }
        }
        if let v = number("lag_margin") {
            if v <= 100 { lights.lagMargin = v } else {
                reader.diagnostics.append(.error("“lag_margin”应为 0 到 100 之间的百分点数", at: f.string("lag_margin")?.location))
            }
        }
        var cycle = ReportingCycle.standard
        if let text = f.string("report_cycle") {
            if let parsed = ReportingCycle(text: text.value) { cycle = parsed } else {
                reader.diagnostics.append(.error("“report_cycle”应为 monthly 日、quarterly 日 或 none（日为 1 到 28）", at: text.location))
            }
        }
        f.finish()
        let failed = reader.diagnostics.contains { $0.severity == .error }
        return (failed ? nil : weights, failed ? nil : lights, failed ? nil : cycle, reader.diagnostics)
    }
}
