import Testing
@testable import DubanCore

private func date(_ phrase: String, year: Int = 2022) -> String? {
    DeadlineParser.latest(in: phrase, planYear: year)?.date.description
}

@Test(arguments: [
    ("2021年底前，县级以上政府门户网站全部支持互联网协议第6版。", 2021, "2021-12-31", "2021年底前"),
    ("年内完成相关改造工作", 2018, "2018-12-31", "年内"),
    ("年底前将情况报市政务公开政务服务工作领导小组办公室备案", 2018, "2018-12-31", "年底前"),
    ("7月底前完成编制", 2022, "2022-07-31", "7月底前"),
    ("于8月底前，基层政府工作人员按照公开事项目录", 2022, "2022-08-31", "于8月底前"),
    ("2022年9月底前，对照6个新增领域", 2022, "2022-09-30", "2022年9月底前"),
    ("2020年底前，编制公布本级政务公开事项标准目录", 2020, "2020-12-31", "2020年底前"),
    ("６月３０日前报送", 2021, "2021-06-30", "6月30日前"),
])
func deadlinePhrases(text: String, year: Int, expected: String, phrase: String) {
    let mention = DeadlineParser.latest(in: text, planYear: year)
    #expect(mention?.date.description == expected)
    #expect(mention?.phrase == phrase)
}

@Test func severalStagesGiveTheLatest() {
    let text = "于7月底前完成编制报市政务公开办。于8月底前各区县（市）梳理细化。于9月底前，完成填报工作。"
    let all = DeadlineParser.mentions(in: text, planYear: 2022).map(\.date.description)
    #expect(all == ["2022-07-31", "2022-08-31", "2022-09-30"])
    #expect(date(text) == "2022-09-30")
}

@Test func documentNumbersAndDurationsAreNotDeadlines() {
    #expect(date("国办发〔2017〕94号精神", year: 2018) == nil)
    #expect(date("（湘财税〔2021〕3号）要求", year: 2021) == nil)
    #expect(date("深化公开2021年省和市10件民生实事", year: 2021) == nil)
    #expect(date("三年内完成", year: 2021) == nil)
    #expect(date("应在完成审批程序后1个工作日内公开", year: 2018) == nil)
    #expect(date("24小时内举行新闻发布会", year: 2021) == nil)
    #expect(date("于2021年6月28日印发", year: 2021) == nil)
}

@Test func standingRulesAreRecordedAsRules() {
    let rules = DeadlineParser.standingRules(in: "24小时内举行新闻发布会，对其他政务舆情应在48小时内予以回应，自收到申请之日起20个工作日内予以答复")
    #expect(rules.map(\.phrase) == ["24小时内", "48小时内", "20个工作日内"])
    #expect(rules.map(\.unit) == [.hours, .hours, .workingDays])
    #expect(rules.map(\.amount) == [24, 48, 20])
}

@Test func explicitDeadlineField() {
    #expect(DeadlineParser.parse("2022年7月底前", planYear: 2022)?.date.description == "2022-07-31")
    #expect(DeadlineParser.parse("2022-07-15", planYear: 2022)?.date.description == "2022-07-15")
    #expect(DeadlineParser.parse("年底前", planYear: 2019)?.date.description == "2019-12-31")
    #expect(DeadlineParser.parse("尽快", planYear: 2019) == nil)
    #expect(DeadlineParser.parse("2022-02-30", planYear: 2022) == nil)
}

/// Parts of the year and of a month that offices set as deadlines, and words that only look like them.
@Test(arguments: [
    ("上半年完成", "2023-06-30"), ("2024年上半年前", "2024-06-30"), ("前三季度完成", "2023-09-30"), ("三季度末前", "2023-09-30"),
    ("第四季度前", "2023-12-31"), ("下半年内", "2023-12-31"), ("11月中旬前", "2023-11-20"), ("6月上旬完成", "2023-06-10"),
    ("9月下旬前", "2023-09-30"),
])
func periodsOfTheYear(_ phrase: String, _ date: String) {
    #expect(DeadlineParser.latest(in: "力争\(phrase)全部到位。", planYear: 2023)?.date.description == date, "\(phrase)")
}

@Test(arguments: ["每季度公开一次", "上半年召开会议", "10月中旬召开", "三季度以来"])
func periodWordsThatAreNotDeadlines(_ text: String) {
    #expect(DeadlineParser.mentions(in: text, planYear: 2023).isEmpty, "\(text)")
}
