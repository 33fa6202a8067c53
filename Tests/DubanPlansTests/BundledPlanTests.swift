import DubanCore
import DubanPlans
import Testing

@Suite struct BundledPlans {
    static let planIDs = ["changsha-2018", "zhuzhou-2020", "changsha-2021", "changsha-2022"]

    @Test func theBundledDirectoryHasNoErrors() {
        let errors = Bundled.library.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(Bundled.library.plans.map(\.id).sorted() == Self.planIDs.sorted())
    }

    /// Every node against the table read from the document: title, lead, responsible, deadline.
    @Test(arguments: planIDs)
    func nodesMatchTheDocument(planID: String) {
        let plan = Bundled.plan(planID)
        let expected = Bundled.expected(planID)
        #expect(plan.nodes.map(\.id) == expected.map { $0[0] }, "node ids and their order")
        for row in expected {
            guard let node = plan.node(row[0]) else { continue }
            #expect(node.title == row[1], "\(planID) \(row[0]) title")
            #expect(node.lead.map(\.name).joined(separator: "、") == row[2], "\(planID) \(row[0]) lead")
            #expect(node.responsible.map(\.name).joined(separator: "、") == row[3], "\(planID) \(row[0]) responsible")
            #expect(node.deadline.date.description == row[4], "\(planID) \(row[0]) deadline")
        }
    }

    @Test(arguments: [
        ("changsha-2018", 4, 16, "一", "十六"),
        ("zhuzhou-2020", 5, 19, "一", "十九"),
        ("changsha-2021", 5, 19, "一", "十九"),
    ])
    func sectionsAndItemsAreNumberedAcrossTheDocument(planID: String, sections: Int, items: Int, first: String, last: String) {
        let plan = Bundled.plan(planID)
        #expect(plan.sections.count == sections)
        #expect(plan.items.count == items)
        #expect(plan.items.first?.number.contains(first) == true)
        #expect(plan.items.last?.number.contains(last) == true)
        // Item numbers run 1…n across sections, and each id is section.item.
        for (index, item) in plan.items.enumerated() {
            #expect(item.id.split(separator: ".").last == Substring(String(index + 1)), "\(planID) \(item.id)")
            #expect(item.id.hasPrefix(item.parentID! + "."))
        }
    }

    @Test func changsha2018SubTasks() {
        let plan = Bundled.plan("changsha-2018")
        #expect(plan.children(of: plan.node("1.2")!).map(\.number) == ["一是", "二是", "三是", "四是"])
        #expect(plan.children(of: plan.node("3.10")!).map(\.number) == ["一是", "二是"])
        #expect(plan.subtasks.count == 6)
        #expect(plan.node("3.8")?.number.contains("八") == true)
        #expect(plan.node("3.8")?.deadline.phrase == "年内")
        #expect(plan.node("3.10.1")?.deadline.phrase == "年底前")
        #expect(plan.node("2.7")?.standingRules.map(\.phrase) == ["1个工作日内"])
        #expect(plan.node("4.13")?.lead.map(\.name) == ["浏阳市"])
    }

    @Test func changsha2022StagesAndNewDomains() {
        let plan = Bundled.plan("changsha-2022")
        #expect(plan.items.map(\.id) == ["2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3"])
        let dates = Set(plan.nodes.map(\.deadline.date.description))
        #expect(dates.isSuperset(of: ["2022-07-31", "2022-08-31", "2022-09-30"]))
        let newDomains: [(String, String)] = [("旅游", "宁乡市"), ("统计", "岳麓区"), ("自然资源", "长沙县"),
                                              ("交通运输", "望城区"), ("广播电视", "芙蓉区"), ("新闻出版版权", "浏阳市")]
        for (index, (domain, district)) in newDomains.enumerated() {
            let node = plan.node("2.5.\(index + 1)")!
            #expect(node.title.contains(domain))
            #expect(plan.assignees(of: node).map(\.name) == [district], "\(domain) is \(district)'s alone")
            #expect(node.deadline.date.description == "2022-07-31")
        }
        #expect(plan.districts.contains { $0.name == "长沙高新区" })
        #expect(plan.assignments.contains { $0.unitID == plan.registry.resolve("长沙高新区")!.id })
    }

    @Test func gaoxinIsADistrictOnlyWhereTheDocumentNamesIt() {
        for id in ["changsha-2018", "changsha-2021"] {
            let plan = Bundled.plan(id)
            let gaoxin = plan.registry.resolve("长沙高新区")!
            #expect(!plan.districts.contains(gaoxin), "\(id)")
            #expect(plan.assignments(of: gaoxin.id).isEmpty, "\(id)")
            #expect(plan.districts.count == 9)
        }
    }

    @Test func everyDistrictIsAssignedWhereTheClauseSaysAllDistricts() {
        let plan = Bundled.plan("changsha-2021")
        let item = plan.node("1.1")!   // （市直相关单位，各区县（市）人民政府按职责分工负责）
        #expect(item.unitsClause == "（市直相关单位，各区县（市）人民政府按职责分工负责）")
        #expect(Set(plan.assignees(of: item).map(\.name)) == Set(["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市", "宁乡市"]))
        let zhuzhou = Bundled.plan("zhuzhou-2020")
        let z = zhuzhou.node("1.1")!   // （市政府办公室牵头，各县市区人民政府负责）
        #expect(zhuzhou.assignees(of: z).count == 10)
        #expect(!zhuzhou.assignees(of: z).contains { $0.name == "株洲经开区" })
    }

    /// Nothing paraphrased, nothing dropped: the plan's text, read in order, is the document's text
    /// (whitespace aside, which page breaks and PDF extraction put there).
    @Test(arguments: [
        ("changsha-2018", "001_ba8def7f6884b930.txt"), ("zhuzhou-2020", "003_083bca08c54f1534.txt"),
        ("changsha-2021", "000_cceafcc75b2966bb.txt"), ("changsha-2022", "004_39e31d1736c085e7.txt"),
    ])
    func textIsTheDocumentsText(planID: String, seed: String) {
        let plan = Bundled.plan(planID)
        var body = plan.preamble ?? ""
        for node in plan.nodes where node.kind != .subtask {
            body += node.number + (node.kind == .section ? node.title : "") + node.text + (node.unitsClause ?? "")
        }
        body += plan.closing ?? ""
        let source = squeezed(Bundled.seed(seed))
        #expect(source.contains(squeezed(body)), "the plan's body is one contiguous stretch of \(seed)")
        for node in plan.subtasks {
            let parent = plan.node(node.parentID!)!
            #expect(squeezed(parent.text).contains(squeezed(node.text)), "\(planID) \(node.id) text is its item's")
        }
        for node in plan.nodes where node.kind != .section {
            #expect(node.text.hasPrefix(node.title) || node.numbered == false || node.kind == .subtask,
                    "\(planID) \(node.id) title is the lead phrase")
            #expect(squeezed(node.text).contains(squeezed(node.title)) || node.numbered == false, "\(planID) \(node.id) title is from its text")
        }
        if let notice = plan.notice { #expect(source.contains(squeezed(notice))) }
    }
}

@Suite struct BundledRegistriesAndCalendar {
    @Test func everyDistrictOfEachCity() {
        let changsha = Bundled.library.registries["长沙市"]!
        #expect(Set(changsha.districts.map(\.name)) == Set(["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市", "宁乡市", "长沙高新区"]))
        let zhuzhou = Bundled.library.registries["株洲市"]!
        #expect(Set(zhuzhou.districts.map(\.name)) == Set(["荷塘区", "芦淞区", "石峰区", "天元区", "渌口区", "醴陵市", "攸县", "茶陵县", "炎陵县", "株洲经开区"]))
    }

    @Test func aliasesAcrossYears() {
        let changsha = Bundled.library.registries["长沙市"]!
        #expect(changsha.resolve("市发改委")?.id == changsha.resolve("市发展改革委")?.id)
        #expect(changsha.resolve("市行政审批局")?.id == changsha.resolve("市行政审批服务局")?.id)
        let zhuzhou = Bundled.library.registries["株洲市"]!
        #expect(zhuzhou.resolve("株洲经开区管委会")?.name == "株洲经开区")
        #expect(zhuzhou.resolve("市发改委")?.name == "市发展改革委")
    }

    @Test func collectives() {
        let changsha = Bundled.library.registries["长沙市"]!
        let all = changsha.resolve("各区县（市）人民政府")!
        #expect(changsha.concreteUnits(for: all).count == 9)
        #expect(changsha.resolve("各区县(市)人民政府")?.id == all.id)
        #expect(changsha.concreteUnits(for: changsha.resolve("市直相关单位")!).isEmpty)
        let zhuzhou = Bundled.library.registries["株洲市"]!
        #expect(zhuzhou.concreteUnits(for: zhuzhou.resolve("各县市区人民政府")!).count == 9)
        #expect(zhuzhou.concreteUnits(for: zhuzhou.resolve("各县市区各部门")!).count == 9)
    }

    @Test func workingDaysFromTheBundledCalendar() throws {
        let calendar = Bundled.library.calendar
        func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
        #expect(try calendar.adding(workingDays: 1, to: d("2021-09-30")) == d("2021-10-08"))
        #expect(try calendar.isWorkingDay(d("2021-09-18")))
        #expect(try calendar.isWorkingDay(d("2021-09-26")))
        #expect(try !calendar.isWorkingDay(d("2020-01-31")))
        #expect(try !calendar.isWorkingDay(d("2020-02-01")))
        #expect(try calendar.isWorkingDay(d("2020-02-03")))
        #expect(try calendar.isWorkingDay(d("2018-12-29")))
        #expect(try !calendar.isWorkingDay(d("2022-10-07")))
        #expect(try calendar.isWorkingDay(d("2022-10-08")))
        for year in 2018...2022 { #expect(calendar.years[year] != nil, "\(year)") }
        // A year has about 250 working days in China.
        for year in 2018...2022 {
            let n = try calendar.workingDays(from: CivilDate(year: year - 1, month: 12, day: 31)!, to: .endOfYear(year))
            #expect((245...252).contains(n), "\(year): \(n)")
        }
    }
}
