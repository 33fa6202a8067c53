import Benchmark
import DubanCore
import DubanPlans
import DubanStore
import DubanTUI
import Foundation

/// Time to draw a frame (state → grid) for each screen at 200×60, and from a keypress to its frame at 80×24.
/// Target: < 5 ms.
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
       // The largest database generated (generate-province.py --events chooses which).
       let database = ["10000000", "1000000", "10000"].map({ directory + "/events-\($0).sqlite" }).first(where: FileManager.default.fileExists),
       let store = try? SQLiteProgressStore(path: database, readOnly: true),
       let states = try? store.states(of: plan, asOf: nil) {
        let now = CivilDate(iso: "2026-11-21")!
        let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: now, states: states, weights: library.weights)
        cases.append(("province city03-2020", DashboardData(snapshot: snapshot, plans: [], today: now)))
    }

    // Keypress → frame at the clerk's 80×24: the key's update and the frame it leads to (target < 5 ms), for a cursor
    // move on each list screen; and a 2,000-character bracketed paste into the note field, decoded, applied, drawn.
    // The 总表 board (issue 16, target < 5 ms) on every case, the province plan's 14,280 assignments included: a cursor
    // move down, and one to the right that scrolls the columns.
    for (name, data) in cases {
        for (label, move) in [("↓", Key.down), ("→", Key.right)] {
            var state = AppState(width: 80, height: 24)
            _ = Dashboard.update(&state, .snapshotLoaded(data))
            for key: Key in [.character("9")] + Array(repeating: .right, count: 20) { _ = Dashboard.update(&state, .key(key)) }
            let frozen = state
            Benchmark("keypress → frame, \(label) on 总表, \(name), 80×24") { benchmark in
                for _ in benchmark.scaledIterations {
                    var moved = frozen
                    _ = Dashboard.update(&moved, .key(move))
                    blackHole(Dashboard.render(moved))
                }
            }
        }
    }

    if let (name, data) = cases.first {
        for screen: (String, [Key]) in [("总览", []), ("任务", [.character("2")]), ("逾期", [.character("3")]), ("单位", [.character("4")])] {
            var state = AppState(width: 80, height: 24)
            _ = Dashboard.update(&state, .snapshotLoaded(data))
            for key in screen.1 { _ = Dashboard.update(&state, .key(key)) }
            let frozen = state
            Benchmark("keypress → frame, ↓ on \(screen.0), \(name), 80×24") { benchmark in
                for _ in benchmark.scaledIterations {
                    var moved = frozen
                    _ = Dashboard.update(&moved, .key(.down))
                    blackHole(Dashboard.render(moved))
                }
            }
        }
        var form = AppState(width: 80, height: 24)
        _ = Dashboard.update(&form, .snapshotLoaded(data))
        for key: Key in [.character("4"), .character("e"), .tab, .tab] { _ = Dashboard.update(&form, .key(key)) }
        let open = form
        let pasted = "\u{1B}[200~" + String(repeating: "政务公开督办", count: 333) + "末尾\u{1B}[201~"
        Benchmark("paste 2,000 characters → frame, 80×24") { benchmark in
            for _ in benchmark.scaledIterations {
                var state = open
                var decoder = KeyDecoder()
                for scalar in pasted.unicodeScalars {
                    for event in decoder.feed(scalar) { _ = Dashboard.update(&state, event) }
                }
                blackHole(Dashboard.render(state))
            }
        }
    }

    for (name, data) in cases {
        for screen: (String, [Key]) in [("总览", []), ("任务", [.character("2"), .down, .down]), ("逾期", [.character("3"), .down]),
                                        ("单位", [.character("4"), .down]), ("领导", [.character("6")]), ("搜索", [.character("/"), .character("公"), .character("开")]),
                                        ("总表", [.character("9"), .pageDown, .right])] {
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
