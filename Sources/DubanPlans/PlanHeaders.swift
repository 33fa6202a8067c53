import DubanCore
import Dispatch
import Foundation
import Synchronization

/// What lists of plans show (`duban plans`, the dashboard's plan switcher): enough to choose one, without loading it.
public struct PlanHeader: Sendable, Equatable, CompactCodable {
    public let id: String
    public let city: String
    public let year: Int
    public let title: String
    public let issuer: String
    public let documentNumber: String?
    public let issued: CivilDate?
    public let sections: Int
    public let items: Int
    public let subtasks: Int
    public let assignments: Int
    public let districts: [String]

    public init(_ plan: Plan) {
        id = plan.id
        city = plan.city
        year = plan.year
        title = plan.title
        issuer = plan.issuer
        documentNumber = plan.documentNumber
        issued = plan.issued
        sections = plan.sections.count
        items = plan.items.count
        subtasks = plan.subtasks.count
        assignments = plan.assignments.count
        districts = plan.districts.map(\.name)
    }

    public func write(to writer: inout ByteWriter) {
        for text in [id, city] { writer.string(text) }
        writer.int(year)
        for text in [title, issuer] { writer.string(text) }
        writer.optional(documentNumber) { $0.string($1) }
        writer.optional(issued) { $0.value($1) }
        for count in [sections, items, subtasks, assignments] { writer.int(count) }
        writer.array(districts) { $0.string($1) }
    }

    public init(from reader: inout ByteReader) throws {
        id = try reader.string(); city = try reader.string(); year = try reader.int(); title = try reader.string()
        issuer = try reader.string(); documentNumber = try reader.optional { try $0.string() }
        issued = try reader.optional { try $0.value(CivilDate.self) }
        sections = try reader.int(); items = try reader.int(); subtasks = try reader.int(); assignments = try reader.int()
        districts = try reader.array { try $0.string() }
    }
}

extension PlanLibrary {
    /// Every valid plan's header, in the library's order (year, then id). A header comes from the cache when its plan
    /// file and the registries are unchanged; otherwise that one plan is loaded (and its header kept). Plans with
    /// errors are left out and counted in `rejected`, as `load` does.
    public static func headers(directory: String, cache: PlanCache?) throws -> (headers: [PlanHeader], rejected: [String: Int]) {
        try requireDirectory(directory)
        var headers: [PlanHeader] = []
        var rejected: [String: Int] = [:]
        let registryKeys = Self.registryKeys(directory: directory)
        let files = planFiles(in: directory)
        // All of them in one entry while no plan file (nor registry) changed: `duban plans` is then one read.
        let allKey = PlanCache.key("headers", files.map(PlanCache.fingerprint) + registryKeys)
        if let all = cache?.value(HeaderList.self, key: allKey) { return (all.headers, [:]) }
        var missing: [(path: String, key: String)] = []
        for path in files {
            let key = PlanCache.key("header", [PlanCache.fingerprint(path)] + registryKeys)
            if let header = cache?.value(PlanHeader.self, key: key) {
                headers.append(header)
            } else {
                missing.append((path, key))
            }
        }
        for (header, rejectedFiles) in try compileHeaders(missing, directory: directory, cache: cache) {
            rejected.merge(rejectedFiles) { a, _ in a }
            if let header { headers.append(header) }
        }
        headers.sort { ($0.year, $0.id) < ($1.year, $1.id) }
        if rejected.isEmpty { cache?.store(HeaderList(headers: headers), key: allKey) }
        return (headers, rejected)
    }

    /// The headers of plans the cache does not have: each plan loaded on its own (its header kept and cached, the plan
    /// let go), as many at once as there are cores. A new duban, or a new account, finds no header cached, and parsing
    /// seventy plans one after another took seconds. The registries are compiled first, so that the plans do not each
    /// parse them at the same time.
    static func compileHeaders(_ files: [(path: String, key: String)], directory: String,
                               cache: PlanCache?) throws -> [(PlanHeader?, [String: Int])] {
        guard !files.isEmpty else { return [] }
        if files.count > 1, cache != nil { _ = try load(directory: directory, only: [], cache: cache) }
        let results = Mutex([Result<(PlanHeader?, [String: Int]), any Error>?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let result = Result {
                let one = try load(directory: directory, only: [stem(files[i].path)], cache: cache)
                let header = one.plans.first.map(PlanHeader.init)
                if let header { cache?.store(header, key: files[i].key) }
                return (header, one.rejectedFiles)
            }
            results.withLock { $0[i] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }

    struct HeaderList: CompactCodable {
        let headers: [PlanHeader]
        init(headers: [PlanHeader]) { self.headers = headers }
        func write(to writer: inout ByteWriter) { writer.array(headers) { $0.value($1) } }
        init(from reader: inout ByteReader) throws { headers = try reader.array { try $0.value(PlanHeader.self) } }
    }
}
