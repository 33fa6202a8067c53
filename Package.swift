// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "duban",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "duban", targets: ["duban"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // The model and its maths: plans, units, deadlines, the working-day calendar. No I/O.
        .target(name: "DubanCore"),
        // Plan files, unit registries and calendars on disk (YAML), with file:line diagnostics.
        .target(name: "DubanPlans", dependencies: ["DubanCore", "Yams"]),
        // ncursesw from Debian's libncursesw5-dev.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        .executableTarget(
            name: "duban",
            dependencies: [
                "DubanCore", "DubanPlans", "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DubanCoreTests", dependencies: ["DubanCore"]),
        .testTarget(
            name: "DubanPlansTests",
            dependencies: ["DubanPlans", "DubanCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "DubanCLITests", dependencies: ["duban"]),
    ]
)
