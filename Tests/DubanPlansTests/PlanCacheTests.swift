import DubanCore
@testable import DubanPlans
import Foundation
import Testing

/// The compiled-plan cache (issue 17): never stale, robust to damage, safe to fill from two processes at once.
@Suite struct PlanCacheBehaviour {
    final class Scratch {
        let root = NSTemporaryDirectory() + "duban-cache-" + UUID().uuidString
        var plans: String { root + "/Plans" }
        var cacheDirectory: String { root + "/cache" }

        init() throws {
            let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Plans").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: bundled, toPath: plans)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func load(only: Set<String>? = nil) throws -> PlanLibrary {
            try PlanLibrary.load(directory: plans, only: only, cache: PlanCache(directory: cacheDirectory))
        }

        var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory)) ?? []).filter { $0.hasSuffix(".bin") } }
    }

    /// Every stored property of every plan, registry and calendar year, as `dump` shows them: the cached plan must be
    /// the parsed one, field for field (not merely what the compact form chose to keep).
    static func fingerprint(_ library: PlanLibrary) throws -> [String] {
        var calendar = ""
        dump(library.calendar.years.keys.sorted().map { library.calendar.years[$0]! }, to: &calendar)
        // Lookup dictionaries are left out: their order differs between two equal instances.
        return library.plans.map { plan in
            var text = ""
            for child in Mirror(reflecting: plan).children where child.label != "index" && child.label != "registry" {
                text += (child.label ?? "") + ": "
                dump(child.value, to: &text)
            }
            dump(plan.registry.units, to: &text)
            return text
        } + library.registries.keys.sorted().map { city in
            var text = ""
            dump(library.registries[city]!.units, to: &text)
            return text
        } + [calendar]
    }

    @Test func aCachedLoadIsTheParsedOne() throws {
        let scratch = try Scratch()
        let parsed = try PlanLibrary.load(directory: scratch.plans)
        let first = try scratch.load()
        #expect(!scratch.entries.isEmpty)
        let cached = try scratch.load()
        #expect(try Self.fingerprint(cached) == Self.fingerprint(parsed))
        #expect(try Self.fingerprint(first) == Self.fingerprint(parsed))
        #expect(cached.calendar.years.keys.sorted() == parsed.calendar.years.keys.sorted())
        #expect(cached.registries.keys.sorted() == parsed.registries.keys.sorted())
        #expect(cached.plan("changsha-2021")?.node("1.2")?.deadline == parsed.plan("changsha-2021")?.node("1.2")?.deadline)
    }

    @Test func aChangedAddedOrRemovedFileIsSeenAtOnce() throws {
        let scratch = try Scratch()
        _ = try scratch.load()
        let file = scratch.plans + "/changsha-2021.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Same size, same second: only the content differs.
        try text.replacingOccurrences(of: "title: 长沙市2021年政务公开工作要点", with: "title: 长沙市2021年政务公开工作要占").write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try scratch.load().plan("changsha-2021")?.title == "长沙市2021年政务公开工作要占")
        // A registry change reaches the plans that use it.
        let registry = scratch.plans + "/units/changsha.yaml"
        let units = try String(contentsOfFile: registry, encoding: .utf8)
        try units.replacingOccurrences(of: "name: 芙蓉区\n    kind: district\n    aliases: [芙蓉区人民政府]",
                                       with: "name: 芙蓉区（测试）\n    kind: district\n    aliases: [芙蓉区人民政府, 芙蓉区]")
            .write(toFile: registry, atomically: false, encoding: .utf8)
        #expect(try scratch.load(only: ["changsha-2021"]).plan("changsha-2021")?.districts.first?.name == "芙蓉区（测试）")
        // Removed and added.
        try FileManager.default.removeItem(atPath: scratch.plans + "/changsha-2018.yaml")
        #expect(try scratch.load().plan("changsha-2018") == nil)
        try text.replacingOccurrences(of: "id: changsha-2021", with: "id: copy-2021").write(toFile: scratch.plans + "/copy-2021.yaml", atomically: false, encoding: .utf8)
        #expect(try scratch.load().plan("copy-2021") != nil)
        // A file with an error is never answered from the cache: it is rejected with its message, every time.
        try "id: broken\n".write(toFile: file, atomically: false, encoding: .utf8)
        for _ in 0..<2 {
            let library = try scratch.load()
            #expect(library.plan("changsha-2021") == nil && library.rejectedFiles[file] != nil)
        }
    }

    @Test func aDamagedCacheIsIgnoredAndRebuilt() throws {
        let scratch = try Scratch()
        let parsed = try Self.fingerprint(try PlanLibrary.load(directory: scratch.plans))
        _ = try scratch.load()
        var damaged: [String: Data] = [:]
        for (index, entry) in scratch.entries.enumerated() {
            let path = scratch.cacheDirectory + "/" + entry
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            switch index % 4 {
            case 0: bytes = bytes.prefix(bytes.count / 2)            // truncated
            case 1: bytes[bytes.count / 2] ^= 0x20                   // one byte flipped in the body: the checksum catches it
            case 2: bytes = Data([0xFF, 0x00, 0x13])                 // garbage
            default: bytes = Data()                                  // empty
            }
            try bytes.write(to: URL(fileURLWithPath: path))
            damaged[entry] = bytes
        }
        #expect(try Self.fingerprint(try scratch.load()) == parsed)
        // Rebuilt: no entry is left as it was damaged, and the next load reads them.
        for (entry, bytes) in damaged {
            #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.cacheDirectory + "/" + entry)) != bytes, "\(entry)")
        }
        #expect(try Self.fingerprint(try scratch.load()) == parsed)
    }

    @Test func twoLoadersFillingAtOnceBothSucceed() async throws {
        let scratch = try Scratch()
        let parsed = try Self.fingerprint(try PlanLibrary.load(directory: scratch.plans))
        let (plans, cache) = (scratch.plans, scratch.cacheDirectory)
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { try Self.fingerprint(try PlanLibrary.load(directory: plans, cache: PlanCache(directory: cache))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4 && results.allSatisfy { $0 == parsed })
        #expect(!scratch.entries.contains { $0.hasSuffix(".tmp") })
    }

    @Test func oldEntriesArePrunedPastTheLimit() throws {
        let scratch = try Scratch()
        let cache = try #require(PlanCache(directory: scratch.cacheDirectory))
        for n in 0..<(PlanCache.limit + 10) { cache.store(CivilDate(dayNumber: n), key: "k\(n)") }
        #expect(scratch.entries.count <= PlanCache.limit)
        #expect(cache.value(CivilDate.self, key: "k\(PlanCache.limit + 9)") == CivilDate(dayNumber: PlanCache.limit + 9))   // the newest stays
    }

    @Test func anUnusableDirectoryMeansNoCache() throws {
        let scratch = try Scratch()
        try "not a directory".write(toFile: scratch.cacheDirectory, atomically: true, encoding: .utf8)
        #expect(PlanCache(directory: scratch.cacheDirectory) == nil)
        // One others may write is not trusted either.
        let shared = scratch.root + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        chmod(shared, 0o777)
        #expect(PlanCache(directory: shared) == nil)
        chmod(shared, 0o700)
        #expect(PlanCache(directory: shared) != nil)
    }

    /// With nothing cached (a new duban, a new account) the headers are compiled several plans at once: the same
    /// headers, in the same order, as the plans loaded one by one; a plan with errors left out and counted.
    @Test func headersCompiledAtOnceAreThoseOfThePlans() throws {
        let scratch = try Scratch()
        for (i, id) in ["changsha-2021", "zhuzhou-2020"].enumerated() {   // more plans than cores, so they queue
            for copy in 1...3 {
                let text = try String(contentsOfFile: scratch.plans + "/\(id).yaml", encoding: .utf8)
                    .replacingOccurrences(of: "id: \(id)", with: "id: copy\(i)\(copy)-\(id)")
                try text.write(toFile: scratch.plans + "/copy\(i)\(copy)-\(id).yaml", atomically: true, encoding: .utf8)
            }
        }
        try "id: broken-2021\n".write(toFile: scratch.plans + "/broken-2021.yaml", atomically: true, encoding: .utf8)
        let parsed = try PlanLibrary.load(directory: scratch.plans)
        let expected = parsed.plans.map(PlanHeader.init)
        #expect(expected.count >= 10)
        let cold = try PlanLibrary.headers(directory: scratch.plans, cache: PlanCache(directory: scratch.cacheDirectory))
        #expect(cold.headers == expected)
        #expect(cold.rejected.keys.map { ($0 as NSString).lastPathComponent } == ["broken-2021.yaml"])
        #expect(cold.rejected == parsed.rejectedFiles)
        let warm = try PlanLibrary.headers(directory: scratch.plans, cache: PlanCache(directory: scratch.cacheDirectory))
        #expect(warm.headers == expected && warm.rejected == cold.rejected)
        let uncached = try PlanLibrary.headers(directory: scratch.plans, cache: nil)
        #expect(uncached.headers == expected && uncached.rejected == cold.rejected)
    }
}
