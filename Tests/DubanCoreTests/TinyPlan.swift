@testable import DubanCore

/// The hand-made plan the figure, light, review and cycle tests share: one item for the three sample districts
/// (d0, d1, d2), issued 2021-07-01, due on `deadline`.
func tinyPlan(deadline: String = "2021-12-31", review: Bool = false) -> Plan {
    tinyPlan(deadlines: [deadline], review: review)
}

/// The same with an item per deadline (1.1, 1.2, …), each for the three districts.
func tinyPlan(deadlines: [String], review: Bool = false) -> Plan {
    let at = DubanCore.SourceLocation(file: "t.yaml", line: 1)
    let titles = ["甲", "乙", "丙", "丁"]
    var draft = PlanDraft(
        id: Located("tiny-2021"), city: Located("长沙市"), year: Located(2021), title: "测试", issuer: "测试办",
        issued: Located("2021-07-01", at: at), districts: [Located("芙蓉区"), Located("天心区"), Located("岳麓区")],
        sections: [NodeDraft(id: Located("1"), kind: .section, title: Located("一"), children: deadlines.enumerated().map { i, deadline in
            NodeDraft(id: Located("1.\(i + 1)"), kind: .item, title: Located(titles[i]), text: titles[i] + "。",
                      responsible: [Located("各区县（市）人民政府")], deadline: Located(deadline))
        })])
    draft.review = review
    return PlanAssembler.assemble(draft, registry: sampleRegistry()).0
}
