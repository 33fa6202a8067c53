import Benchmark
import DubanPlans
import Foundation

/// `duban import` on a 50 KB document: the header of the 2021 Changsha plan and the bodies of all four seed documents,
/// about 17,000 characters and 70 work points, through every stage (script check, paragraphs, outline, units,
/// deadlines, registry resolution, YAML). Target: well under a second.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func seed(_ name: String) -> String {
    (try? String(contentsOf: repository.appendingPathComponent("Tests/Seeds/\(name)"), encoding: .utf8)) ?? ""
}

/// The text from a document's first 一、 on.
func body(_ text: String) -> String {
    guard let start = text.range(of: "\n一、") else { return text }
    return String(text[start.lowerBound...])
}

let document: String = {
    let first = seed("000_cceafcc75b2966bb.txt")
    var text = first
    for name in ["001_ba8def7f6884b930.txt", "003_083bca08c54f1534.txt", "004_39e31d1736c085e7.txt"] { text += body(seed(name)) }
    while text.utf8.count < 50_000 { text += body(first) }
    return text
}()

let benchmarks: @Sendable () -> Void = {
    let library = try! PlanLibrary.load(directory: repository.appendingPathComponent("Plans").path, only: [])
    Benchmark("import 50 KB document", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                                            maxDuration: .seconds(10), maxIterations: 50)) { benchmark in
        for _ in benchmark.scaledIterations {
            var importer = PlanImporter(registries: library.registries, options: .init())
            blackHole(try! importer.run(text: document, file: "bench.txt"))
        }
    }
}
