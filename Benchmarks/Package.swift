// swift-tools-version:6.1
// Benchmarks at province scale, kept out of the main package so CI does not build the harness.
// Generate the data first (see README.md in this folder), then:
//     cd Benchmarks && DUBAN_BENCH_DIR=/tmp/province swift package benchmark
import Foundation
import PackageDescription

/// A path dependency is known by its directory's name, which depends on where the repository was cloned.
let duban = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "duban-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Frames",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DubanCore", package: duban),
                .product(name: "DubanPlans", package: duban),
                .product(name: "DubanStore", package: duban),
                .product(name: "DubanTUI", package: duban),
            ],
            path: "Benchmarks/Frames",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ProvinceScale",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DubanCore", package: duban),
                .product(name: "DubanPlans", package: duban),
                .product(name: "DubanStore", package: duban),
            ],
            path: "Benchmarks/ProvinceScale",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Import",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DubanPlans", package: duban),
            ],
            path: "Benchmarks/Import",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
