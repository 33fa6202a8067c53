import Benchmark
import DubanCore
import DubanPlans
import DubanStore
import Foundation

/// Per-plan figures at province scale (14 cities × 11 districts, 70 plans, ~1,000,000 assignments), on
/// databases of 10 thousand, 1 million and 10 million events made by generate-province.py.
/// Targets: progress/overdue now ≤ 20 ms, as of a past day ≤ 100 ms, one update ≤ 10 ms.
let benchmarks: @Sendable () -> Void = {
    guard let directory = ProcessInfo.processInfo.environment["DUBAN_BENCH_DIR"] else {
        print("DUBAN_BENCH_DIR is not set: run Benchmarks/generate-province.py first")
        return
    }
    let planID = "city03-2020"
    let library = try! PlanLibrary.load(directory: directory + "/Plans", only: [planID])
    let plan = library.plan(planID)!
    let pastDay = CivilDate(iso: "2020-09-30")!
    let now = CivilDate(iso: "2026-11-21")!
    let sizes = ProcessInfo.processInfo.environment["DUBAN_BENCH_SIZES"]?.split(separator: ",").map(String.init)
        ?? ["10000", "1000000", "10000000"]

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        maxDuration: .seconds(5),
        maxIterations: 200)

    for size in sizes {
        let path = "\(directory)/events-\(size).sqlite"
        guard FileManager.default.fileExists(atPath: path) else { continue }
        let store = try! SQLiteProgressStore(path: path)

        Benchmark("progress now, \(size) events") { benchmark in
            for _ in benchmark.scaledIterations {
                let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: now,
                                            states: try store.states(planID: planID, asOf: nil), weights: library.weights)
                blackHole(snapshot.districtRanking)
            }
        }
        Benchmark("progress as of 2020-09-30, \(size) events") { benchmark in
            for _ in benchmark.scaledIterations {
                let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: pastDay,
                                            states: try store.states(planID: planID, asOf: pastDay), weights: library.weights)
                blackHole(snapshot.districtRanking)
            }
        }
        Benchmark("overdue now, \(size) events") { benchmark in
            for _ in benchmark.scaledIterations {
                let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: now,
                                            states: try store.states(planID: planID, asOf: nil), weights: library.weights)
                blackHole(snapshot.overdue())
            }
        }
        Benchmark("overdue as of 2020-09-30, \(size) events") { benchmark in
            for _ in benchmark.scaledIterations {
                let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: pastDay,
                                            states: try store.states(planID: planID, asOf: pastDay), weights: library.weights)
                blackHole(snapshot.overdue())
            }
        }
        Benchmark("one update, \(size) events") { benchmark in
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
