import Testing
@testable import DubanCore

/// The 2020–2021 arrangements, typed in from the State Council notices, for the calendar maths alone.
/// (The bundled Plans/calendar files are checked against the same facts in DubanPlansTests.)
private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

let calendar2020and2021 = WorkdayCalendar([
    HolidayYear(year: 2020, source: "国办发明电〔2019〕16号、〔2020〕1号", holidays: [
        .init(name: "元旦", from: d("2020-01-01"), to: d("2020-01-01")),
        .init(name: "春节", from: d("2020-01-24"), to: d("2020-02-02")),
        .init(name: "国庆节、中秋节", from: d("2020-10-01"), to: d("2020-10-08")),
    ], workdays: [d("2020-01-19"), d("2020-09-27"), d("2020-10-10")]),
    HolidayYear(year: 2021, source: "国办发明电〔2020〕27号", holidays: [
        .init(name: "中秋节", from: d("2021-09-19"), to: d("2021-09-21")),
        .init(name: "国庆节", from: d("2021-10-01"), to: d("2021-10-07")),
    ], workdays: [d("2021-09-18"), d("2021-09-26"), d("2021-10-09")]),
])

@Test func makeUpSaturdayAndSundayAreWorkingDays() throws {
    #expect(try calendar2020and2021.isWorkingDay(d("2021-09-18")))  // Saturday, 调休
    #expect(try calendar2020and2021.isWorkingDay(d("2021-09-26")))  // Sunday, 调休
    #expect(try !calendar2020and2021.isWorkingDay(d("2021-09-25")))  // ordinary Saturday
}

@Test func springFestival2020ExtensionIsOff() throws {
    #expect(try !calendar2020and2021.isWorkingDay(d("2020-01-31")))  // Friday inside the extension
    #expect(try !calendar2020and2021.isWorkingDay(d("2020-02-01")))  // make-up Saturday cancelled by the extension
    #expect(try calendar2020and2021.isWorkingDay(d("2020-02-03")))
}

@Test func addingWorkingDaysSkipsTheNationalDayWeek() throws {
    #expect(try calendar2020and2021.adding(workingDays: 1, to: d("2021-09-30")) == d("2021-10-08"))
    #expect(try calendar2020and2021.adding(workingDays: 2, to: d("2021-09-30")) == d("2021-10-09"))  // Saturday 调休
    #expect(try calendar2020and2021.adding(workingDays: -1, to: d("2021-10-08")) == d("2021-09-30"))
    #expect(try calendar2020and2021.adding(workingDays: 0, to: d("2021-10-03")) == d("2021-10-03"))
    #expect(try calendar2020and2021.adding(workingDays: 1, to: d("2020-01-23")) == d("2020-02-03"))
}

@Test func countingWorkingDaysBetweenDates() throws {
    #expect(try calendar2020and2021.workingDays(from: d("2021-09-30"), to: d("2021-10-08")) == 1)
    #expect(try calendar2020and2021.workingDays(from: d("2021-10-08"), to: d("2021-09-30")) == -1)
    #expect(try calendar2020and2021.workingDays(from: d("2021-09-17"), to: d("2021-09-17")) == 0)
    // 9/18 (Sat, 调休) counts, 9/19–21 are the holiday, 9/22–24 count.
    #expect(try calendar2020and2021.workingDays(from: d("2021-09-17"), to: d("2021-09-24")) == 4)
}

/// The prefix sums behind `workingDays` agree with asking `isWorkingDay` day by day, over every day of every covered
/// year: holidays, make-up Saturdays and Sundays, a holiday at the turn of the year, and a year missing between two.
@Test func countedWorkingDaysAgreeWithTheDayByDayRule() throws {
    var gapped = WorkdayCalendar([calendar2020and2021.years[2020]!])
    gapped.add(HolidayYear(year: 2022, source: "国办发明电〔2021〕11号", holidays: [
        .init(name: "元旦", from: d("2022-01-01"), to: d("2022-01-03")),
        .init(name: "春节", from: d("2022-01-31"), to: d("2022-02-06")),
    ], workdays: [d("2022-01-29"), d("2022-01-30")]))
    #expect(throws: WorkdayCalendarError.yearNotCovered(2021, covered: 2020...2022)) {
        try gapped.workingDays(from: d("2020-12-31"), to: d("2022-01-04"))
    }
    for calendar in [calendar2020and2021, gapped] {
        let covered = try #require(calendar.coveredYears)
        for year in covered where calendar.years[year] != nil {
            let start = CivilDate(year: year, month: 1, day: 1)!.adding(days: -1)
            var expected = 0
            var day = start
            while day < CivilDate.endOfYear(year) {
                day = day.adding(days: 1)
                if try calendar.isWorkingDay(day) { expected += 1 }
                #expect(try calendar.workingDays(from: start, to: day) == expected, "\(day)")
            }
        }
    }
}

@Test func anUncoveredYearIsAnErrorNotAGuess() {
    #expect(throws: WorkdayCalendarError.yearNotCovered(2030, covered: 2020...2021)) {
        try calendar2020and2021.isWorkingDay(d("2030-03-04"))
    }
}

@Test func civilDateArithmetic() {
    #expect(d("2020-02-28").adding(days: 1) == d("2020-02-29"))
    #expect(d("2021-02-28").adding(days: 1) == d("2021-03-01"))
    #expect(d("2021-12-31").adding(days: 1) == d("2022-01-01"))
    #expect(d("1970-01-01").dayNumber == 0)
    #expect(d("2021-09-18").isoWeekday == 6)
    #expect(d("2021-09-26").isoWeekday == 7)
    #expect(CivilDate(iso: "2021-02-29") == nil)
    #expect(CivilDate(iso: "2021-9-1") == nil)
    #expect(d("2021-09-30").days(until: d("2021-10-08")) == 8)
    // A date is kept as its day number: its fields, its text and its order must agree with it.
    var previous: CivilDate?
    for n in stride(from: -800_000, to: 800_000, by: 997) {
        let date = CivilDate(dayNumber: n)
        #expect(CivilDate(year: date.year, month: date.month, day: date.day)?.dayNumber == n)
        if date.year >= 1000 { #expect(CivilDate(iso: date.description) == date) }
        if let previous { #expect(previous < date && (previous.year, previous.month, previous.day) < (date.year, date.month, date.day)) }
        previous = date
    }
    #expect(d("2024-02-29").year == 2024 && d("2024-02-29").month == 2 && d("2024-02-29").day == 29)
    #expect(d("1969-12-31").dayNumber == -1 && d("1969-12-31").chinese == "1969年12月31日")
}
