import Testing
@testable import DubanCore

private func located(_ s: String) -> Located<String> { Located(s) }

func sampleRegistry() -> UnitRegistry {
    let districts = ["芙蓉区", "天心区", "岳麓区"]
    var drafts = districts.enumerated().map { i, name in
        UnitDraft(id: located("d\(i)"), name: located(name), kind: Located(.district), aliases: [located(name + "人民政府")])
    }
    drafts.append(UnitDraft(id: located("gaoxin"), name: located("长沙高新区"), kind: Located(.district)))
    drafts.append(UnitDraft(id: located("fgw"), name: located("市发展改革委"), kind: Located(.department),
                            aliases: [located("市发改委"), located("市发展和改革委员会")]))
    drafts.append(UnitDraft(id: located("all-districts"), name: located("各区县（市）人民政府"), kind: Located(.collective),
                            expandsTo: districts.map(located)))
    drafts.append(UnitDraft(id: located("city-units"), name: located("市直相关单位"), kind: Located(.collective)))
    let (registry, problems) = UnitRegistry.assemble(city: "长沙市", drafts: drafts)
    #expect(problems.isEmpty)
    return registry
}

@Test func aliasesResolveToOneUnit() {
    let r = sampleRegistry()
    #expect(r.resolve("市发改委")?.id == "fgw")
    #expect(r.resolve("市发展改革委")?.id == "fgw")
    #expect(r.resolve("fgw")?.name == "市发展改革委")
    #expect(r.resolve("芙蓉区人民政府")?.name == "芙蓉区")
}

@Test func halfWidthPunctuationMatchesFullWidth() {
    let r = sampleRegistry()
    #expect(r.resolve("各区县(市)人民政府")?.id == "all-districts")
    #expect(r.resolve("各区县（市） 人民政府")?.id == "all-districts")
}

@Test func collectivesExpandOrStayCollective() {
    let r = sampleRegistry()
    #expect(r.concreteUnits(for: r.resolve("各区县（市）人民政府")!).map(\.name) == ["芙蓉区", "天心区", "岳麓区"])
    #expect(r.concreteUnits(for: r.resolve("市直相关单位")!).isEmpty)
    #expect(r.concreteUnits(for: r.resolve("市发改委")!).map(\.id) == ["fgw"])
    // 长沙高新区 is a district but not one of 各区县（市）.
    #expect(!r.concreteUnits(for: r.resolve("各区县（市）人民政府")!).contains { $0.id == "gaoxin" })
}

@Test func unknownNamesSuggestTheClosest() {
    let r = sampleRegistry()
    #expect(r.resolve("市发改局") == nil)
    #expect(r.closestNames(to: "市发改局").first == "市发改委")
    #expect(UnitRegistry.unknownUnitMessage("岳麓", registry: r).contains("岳麓区"))
}

@Test func duplicateIdsAndNamesAreReported() {
    let drafts = [
        UnitDraft(id: Located("a", at: DubanCore.SourceLocation(file: "u.yaml", line: 3)), name: located("甲"), kind: Located(.department)),
        UnitDraft(id: Located("a", at: DubanCore.SourceLocation(file: "u.yaml", line: 7)), name: located("乙"), kind: Located(.department)),
        UnitDraft(id: located("c"), name: Located("甲", at: DubanCore.SourceLocation(file: "u.yaml", line: 11)), kind: Located(.department)),
        UnitDraft(id: located("Bad ID"), name: located("丙"), kind: Located(.department)),
    ]
    let (_, problems) = UnitRegistry.assemble(city: "某市", drafts: drafts)
    #expect(problems.contains { $0.location?.line == 7 })
    #expect(problems.contains { $0.location?.line == 11 })
    #expect(problems.contains { $0.message.contains("Bad ID") })
}

@Test func displayWidthCountsChineseAsTwo() {
    let w = DisplayWidth()
    #expect(w.of("长沙市") == 6)
    #expect(w.of("（一）") == 6)
    #expect(w.of("abc") == 3)
    #expect(w.of("─│") == 2)
    #expect(DisplayWidth(ambiguous: 2).of("─│①") == 6)
    #expect(w.padded("长沙", to: 6) == "长沙  ")
    #expect(w.truncated("长沙市政务公开", to: 7) == "长沙市…")
}

@Test func controlCharactersAreShownNotObeyed() {
    #expect(SafeText.escaped("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
    #expect(SafeText.escaped("x\u{202E}y") == "x\\u{202E}y")
    #expect(SafeText.escaped("一\n二", keepNewlines: true) == "一\n二")
}

@Test func figuresAreWrittenOneWay() {
    #expect(NumberText.percent(0.9111) == "91.1%")
    #expect(NumberText.percent(1) == "100.0%")
    #expect(NumberText.oneDecimal(8.94) == "8.9")
    #expect(NumberText.oneDecimal(-0.06) == "-0.1")
    #expect(NumberText.oneDecimal(0) == "0.0")
}

@Test func theSupervisingOfficeIsNamedAtTheRegistrysLevel() {
    #expect(UnitRegistry(city: "株洲市", units: []).supervisingOfficeShortName == "市政务公开办")
    #expect(UnitRegistry(city: "平江县", units: []).supervisingOfficeShortName == "县政务公开办")
    #expect(UnitRegistry(city: "岳麓区", units: []).supervisingOfficeShortName == "区政务公开办")
    #expect(UnitRegistry(city: "湘西土家族苗族自治州", units: []).supervisingOfficeShortName == "州政务公开办")
}
