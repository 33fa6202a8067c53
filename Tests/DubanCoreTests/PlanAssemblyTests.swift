import Testing
@testable import DubanCore

private func at(_ line: Int) -> DubanCore.SourceLocation { DubanCore.SourceLocation(file: "t.yaml", line: line) }
private func names(_ list: [String], line: Int = 1) -> [Located<String>] { list.map { Located($0, at: at(line)) } }

private func draft(items: [NodeDraft], year: Int = 2022) -> PlanDraft {
    PlanDraft(id: Located("test-\(year)"), city: Located("长沙市"), year: Located(year), title: "测试", issuer: "测试办",
              sections: [NodeDraft(id: Located("1", at: at(2)), kind: .section, number: "一、", title: Located("一"), children: items)])
}

private func item(_ id: String, text: String, lead: [String]? = nil, responsible: [String]? = nil,
                  deadline: String? = nil, children: [NodeDraft] = [], line: Int = 10) -> NodeDraft {
    NodeDraft(id: Located(id, at: at(line)), kind: id.split(separator: ".").count == 2 ? .item : .subtask,
              title: Located(String(text.prefix(4))), text: text, lead: lead.map { names($0, line: line) },
              responsible: responsible.map { names($0, line: line) }, deadline: deadline.map { Located($0, at: at(line)) },
              children: children, location: at(line))
}

@Test func deadlinesComeFromTextThenParentThenYearEnd() {
    let plan = PlanAssembler.assemble(draft(items: [
        item("1.1", text: "甲。于8月底前完成。", responsible: ["芙蓉区"], children: [
            item("1.1.1", text: "于7月底前完成编制。"),
            item("1.1.2", text: "长沙高新区要借鉴。", responsible: ["长沙高新区"]),
        ]),
        item("1.2", text: "乙。", responsible: ["市发改委"]),
        item("1.3", text: "丙。", responsible: ["市发改委"], deadline: "2022年7月底前"),
    ]), registry: sampleRegistry())
    #expect(plan.1.isEmpty)
    let p = plan.0
    #expect(p.node("1.1")?.deadline.date.description == "2022-08-31")
    #expect(p.node("1.1.1")?.deadline.phrase == "于7月底前")
    #expect(p.node("1.1.2")?.deadline == Deadline(date: CivilDate(iso: "2022-08-31")!, phrase: "于8月底前", origin: .inherited(from: "1.1")))
    #expect(p.node("1.2")?.deadline.origin == .planYearEnd)
    #expect(p.node("1.2")?.deadline.phrase == nil)
    #expect(p.node("1.3")?.deadline.date.description == "2022-07-31")
}

@Test func assignmentsAreLeavesTimesConcreteUnits() {
    let (p, problems) = PlanAssembler.assemble(draft(items: [
        item("1.1", text: "甲。", lead: ["市发改委"], responsible: ["市直相关单位", "各区县(市)人民政府"]),
        item("1.2", text: "乙。", responsible: ["各区县（市）人民政府"], children: [
            item("1.2.1", text: "一是。"),
            item("1.2.2", text: "二是。", responsible: ["长沙高新区"]),
        ]),
    ]), registry: sampleRegistry())
    #expect(problems.isEmpty)
    #expect(p.assignees(of: p.node("1.1")!).map(\.name) == ["市发展改革委", "芙蓉区", "天心区", "岳麓区"])
    #expect(p.node("1.1")!.responsible.map(\.name) == ["市直相关单位", "各区县（市）人民政府"])
    // A sub-task without units inherits its item's; the item itself holds no assignment.
    #expect(p.node("1.2.1")!.unitsSource == .inherited)
    #expect(p.assignees(of: p.node("1.2.1")!).count == 3)
    #expect(!p.assignments.contains { $0.nodeID == "1.2" })
    #expect(p.assignees(of: p.node("1.2")!).map(\.name) == ["芙蓉区", "天心区", "岳麓区", "长沙高新区"])
    #expect(p.assignments.count == 4 + 3 + 1)
}

@Test func problemsCarryTheirLines() {
    let (_, problems) = PlanAssembler.assemble(draft(items: [
        item("1.1", text: "甲。", responsible: ["市发改局"], line: 12),
        item("1.1", text: "乙。", responsible: ["芙蓉区"], line: 20),
        item("1.3", text: "丙。", responsible: ["芙蓉区"], deadline: "尽快", line: 30),
        item("2.4", text: "丁。", responsible: ["芙蓉区"], line: 40),
    ]), registry: sampleRegistry())
    let byLine = Dictionary(grouping: problems, by: { $0.location?.line ?? 0 })
    #expect(byLine[12]?.first?.message.contains("市发改委") == true)
    #expect(byLine[20]?.first?.message.contains("重复") == true)
    #expect(byLine[30]?.first?.message.contains("尽快") == true)
    #expect(byLine[40]?.first?.message.contains("上级编号") == true)
}
