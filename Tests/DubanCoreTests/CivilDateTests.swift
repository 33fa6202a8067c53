import Testing
@testable import DubanCore

@Test func aDateIsWrittenAsISOEveryDayOfTwoCenturies() throws {
    var date = try #require(CivilDate(year: 1900, month: 1, day: 1))
    let end = try #require(CivilDate(year: 2100, month: 12, day: 31))
    while date <= end {
        let expected = "\(NumberText.zeroPadded(date.year, to: 4))-\(NumberText.zeroPadded(date.month, to: 2))-\(NumberText.zeroPadded(date.day, to: 2))"
        guard date.description == expected, CivilDate(iso: expected) == date else {
            Issue.record("\(date.description) is not \(expected)")
            return
        }
        date = date.adding(days: 1)
    }
    #expect(try #require(CivilDate(year: 7, month: 3, day: 9)).description == "0007-03-09")
    #expect(try #require(CivilDate(year: 12345, month: 3, day: 9)).description == "12345-03-09")
}

@Test func whyATypedTextIsNotADate() {
    #expect(CivilDate.problem(typed: "2021-02-30") == "2021 年 2 月只有 28 天，没有 30 日")
    #expect(CivilDate.problem(typed: "2024/2/30") == "2024 年 2 月只有 29 天，没有 30 日")
    #expect(CivilDate.problem(typed: "2021-13-01") == "月份应为 1 到 12，而不是 13")
    #expect(CivilDate.problem(typed: "明天") == "应为 2021-09-30 的格式")
    #expect(CivilDate(typed: "20210930") == CivilDate(iso: "2021-09-30"))
}
