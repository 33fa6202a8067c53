import Benchmark
import DubanCore
import DubanPlans
import DubanStore
import Foundation

/// Per-plan figures at province scale (14 cities × 11 districts, 70 plans, ~1,000,000 assignments), on
/// databases of 10 thousand, 1 million and 10 million events made by generate-province.py — SQLite files, and with
/// DUBAN_BENCH_PG the same data in PostgreSQL. Targets: SQLite progress/overdue now ≤ 20 ms, as of a past day ≤ 100 ms,
/// one update ≤ 10 ms; PostgreSQL per-plan figures ≤ 50 ms, update ≤ 10 ms, flat from 1M to 10M events.
let benchmarks: @Sendable () -> Void = {
    guard let directory = ProcessInfo.processInfo.environment["DUBAN_BENCH_DIR"] else {
        print("DUBAN_BENCH_DIR is not set: run Benchmarks/generate-province.py first")
        return
    }
    let planID = "city03-2020"
    let library = try! PlanLibrary.load(directory: directory + "/Plans", only: [planID])
    let plan = library.plan(planID)!
    let pastDay = CivilDate(iso: "2020-09-30")!
    // The worst case for "as of": at 10M events all but 22 of the plan's 14,280 assignments have a record after this
    // day, so each state looks back through its events instead of being the current one (at 1M, one record each, none do).
    // As of 2020-09-30 only 251 look back.
    let earlyDay = CivilDate(iso: "2020-05-15")!
    let now = CivilDate(iso: "2026-11-21")!
    let sizes = ProcessInfo.processInfo.environment["DUBAN_BENCH_SIZES"]?.split(separator: ",").map(String.init)
        ?? ["10000", "1000000", "10000000"]

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        maxDuration: .seconds(5),
        maxIterations: 200)

    // Both stores side by side: the SQLite file of each size, and the PostgreSQL database generate-province.py loaded
    // (`--postgres SOCKET_DIR`, databases duban_bench_<size>) when DUBAN_BENCH_PG names the socket directory.
    var stores: [(label: String, size: String, open: () throws -> any ProgressStore)] = []
    for size in sizes {
        let path = "\(directory)/events-\(size).sqlite"
        if FileManager.default.fileExists(atPath: path) {
            stores.append(("sqlite", size, { try SQLiteProgressStore(path: path) }))
        }
        if let socket = ProcessInfo.processInfo.environment["DUBAN_BENCH_PG"] {
            let account = String(cString: getpwuid(getuid())!.pointee.pw_name)
            stores.append(("postgresql", size, {
                try PostgresProgressStore(location: try PostgresLocation(url: "postgresql:///duban_bench_\(size)?host=\(socket)"),
                                          account: account, uid: Int(getuid()))
            }))
        }
    }

    for (label, size, open) in stores {
        guard let store = try? open() else {
            print("skipped: \(label), \(size) events (cannot open)")
            continue
        }
        let name = "\(size) events, \(label)"

        // The plan's figures as a command makes them: the states as of a day (nil: now) and the snapshot over them.
        func snapshot(asOf day: CivilDate?) throws -> PlanSnapshot {
            PlanSnapshot(plan: plan, calendar: library.calendar, asOf: day ?? now,
                         states: try store.states(of: plan, asOf: day), weights: library.weights)
        }
        for (label, day) in [("now", nil), ("as of 2020-09-30", pastDay), ("as of 2020-05-15", earlyDay)] as [(String, CivilDate?)] {
            Benchmark("progress \(label), \(name)") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try snapshot(asOf: day).districtRanking) }
            }
        }
        for (label, day) in [("now", nil), ("as of 2020-09-30", pastDay)] as [(String, CivilDate?)] {
            Benchmark("overdue \(label), \(name)") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try snapshot(asOf: day).overdue()) }
            }
        }
        Benchmark("one update, \(name)") { benchmark in
            let assignments = plan.assignments
            for i in benchmark.scaledIterations {
                let a = assignments[(i * 7919) % assignments.count]
                blackHole(try store.record(
                    NewUpdate(planID: planID, nodeID: a.nodeID, unitID: a.unitID, status: .inProgress, percent: 50,
                              note: "基准测试", date: now, author: "bench", uid: 0),
                    expecting: nil))
            }
        }
    }
}
