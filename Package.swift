// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "duban",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "duban", targets: ["duban"]),
        // Libraries, for the benchmark package in Benchmarks/ (kept separate so CI does not build it).
        .library(name: "DubanCore", targets: ["DubanCore"]),
        .library(name: "DubanPlans", targets: ["DubanPlans"]),
        .library(name: "DubanStore", targets: ["DubanStore"]),
        .library(name: "DubanTUI", targets: ["DubanTUI"]),
        .library(name: "DubanReports", targets: ["DubanReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", exact: "1.19.7"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // The model and its maths: plans, units, deadlines, the working-day calendar. No I/O.
        .target(name: "DubanCore"),
        // Plan files, unit registries and calendars on disk (YAML), with file:line diagnostics.
        .target(name: "DubanPlans", dependencies: ["DubanCore", "Yams", "ZIPFoundation", "COpenCC", "CExpat", .product(name: "Crypto", package: "swift-crypto")]),
        // Recorded progress: appended events in SQLite (WAL) or PostgreSQL, behind the ProgressStore protocol.
        .target(name: "DubanStore", dependencies: [
            "DubanCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Screens as pure functions of state into a grid of cells; key handling. No curses calls.
        .target(name: "DubanTUI", dependencies: ["DubanCore"]),
        // Bulletins (通报), ledgers (台账) and reminders (催办单): txt, md, docx, csv, xlsx, from Mustache templates.
        .target(name: "DubanReports", dependencies: [
            "DubanCore", .product(name: "Mustache", package: "swift-mustache"), "ZIPFoundation",
        ]),
        // OpenCC from Debian's libopencc-dev: Traditional-script documents are converted to Simplified on import.
        .systemLibrary(name: "COpenCC", providers: [.apt(["libopencc-dev"])]),
        // expat from Debian's libexpat1-dev reads a .docx's XML on import.
        .systemLibrary(name: "CExpat", providers: [.apt(["libexpat1-dev"])]),
        // ncursesw from Debian's libncursesw5-dev.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        .executableTarget(
            name: "duban",
            dependencies: [
                "DubanCore", "DubanPlans", "DubanStore", "DubanTUI", "DubanReports", "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DubanCoreTests", dependencies: ["DubanCore"]),
        .testTarget(
            name: "DubanPlansTests",
            dependencies: ["DubanPlans", "DubanCore", "ZIPFoundation", "Yams"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "DubanStoreTests", dependencies: ["DubanStore", "DubanCore", "DubanTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        // Shared by the test targets: the bundled plans with the demo year, in memory; a throw-away PostgreSQL server.
        .target(name: "DubanTestSupport", dependencies: ["DubanCore", "DubanPlans", "DubanStore"], path: "Tests/DubanTestSupport"),
        .testTarget(
            name: "DubanTUITests",
            dependencies: ["DubanTUI", "DubanPlans", "DubanCore", "DubanTestSupport",
                           .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "DubanReportsTests",
            dependencies: ["DubanReports", "DubanPlans", "DubanCore", "DubanTestSupport", "ZIPFoundation",
                           .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "DubanCLITests", dependencies: ["duban", "DubanTestSupport"]),
    ]
)
