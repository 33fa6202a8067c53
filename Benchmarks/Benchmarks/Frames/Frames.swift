import Benchmark
import DubanCore
import DubanPlans
import DubanStore
import DubanTUI
import Foundation

/// Time to draw a frame (state → grid) for each screen at 200×60. Target: < 5 ms.
/// Data: the largest bundled plan (zhuzhou-2020) with the simulated year, and, when DUBAN_BENCH_DIR is set,
/// the province-scale plan city03-2020 (14,280 assignments) from the 10M-event database.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds,
                                           maxDuration: .seconds(2), maxIterations: 1000)
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    var cases: [(String, DashboardData)] = []

    let bundled = try! PlanLibrary.load(directory: root.appendingPathComponent("Plans").path)
    let day = CivilDate(iso: "2022-03-31")!
    if let plan = bundled.plan("zhuzhou-2020") {
        var id: Int64 = 0
        let events = DemoYear(seed: 2024).updates(for: plan, today: day).map { u -> ProgressEvent in
            id += 1
            return ProgressEvent(id: id, planID: u.planID, nodeID: u.nodeID, unitID: u.unitID, status: u.status, percent: u.percent,
                                 note: u.note, evidence: u.evidence, author: u.author, date: u.date, recordedAt: "")
        }
        let states = Dictionary(grouping: events, by: \.assignment).compactMapValues { AssignmentState.fold($0, asOf: day) }
        let snapshot = PlanSnapshot(plan: plan, calendar: bundled.calendar, asOf: day, states: states, weights: bundled.weights)
        cases.append(("zhuzhou-2020", DashboardData(snapshot: snapshot, plans: [], today: day)))
    }
    if let directory = ProcessInfo.processInfo.environment["DUBAN_BENCH_DIR"],
       let library = try? PlanLibrary.load(directory: directory + "/Plans", only: ["city03-2020"]),
       let plan = library.plan("city03-2020"),
       let store = try? SQLiteProgressStore(path: directory + "/events-10000000.sqlite", readOnly: true),
       let states = try? store.states(planID: plan.id, asOf: nil) {
        let now = CivilDate(iso: "2026-11-21")!
        let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: now, states: states, weights: library.weights)
        cases.append(("province city03-2020", DashboardData(snapshot: snapshot, plans: [], today: now)))
    }

    for (name, data) in cases {
        for screen: (String, [Key]) in [("总览", []), ("任务", [.character("2"), .down, .down]), ("逾期", [.character("3"), .down]),
                                        ("单位", [.character("4"), .down]), ("领导", [.character("6")]), ("搜索", [.character("/"), .character("公"), .character("开")])] {
            var state = AppState(width: 200, height: 60)
            _ = Dashboard.update(&state, .snapshotLoaded(data))
            for key in screen.1 { _ = Dashboard.update(&state, .key(key)) }
            let frozen = state
            Benchmark("frame \(screen.0), \(name), 200×60") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(Dashboard.render(frozen)) }
            }
        }
    }
}
