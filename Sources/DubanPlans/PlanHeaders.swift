import DubanCore
import Foundation

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
        for path in files {
            let key = PlanCache.key("header", [PlanCache.fingerprint(path)] + registryKeys)
            if let header = cache?.value(PlanHeader.self, key: key) {
                headers.append(header)
                continue
            }
            let one = try load(directory: directory, only: [stem(path)], cache: cache)
            rejected.merge(one.rejectedFiles) { a, _ in a }
            guard let plan = one.plans.first else { continue }
            let header = PlanHeader(plan)
            cache?.store(header, key: key)
            headers.append(header)
        }
        headers.sort { ($0.year, $0.id) < ($1.year, $1.id) }
        if rejected.isEmpty { cache?.store(HeaderList(headers: headers), key: allKey) }
        return (headers, rejected)
    }

    struct HeaderList: CompactCodable {
        let headers: [PlanHeader]
        init(headers: [PlanHeader]) { self.headers = headers }
        func write(to writer: inout ByteWriter) { writer.array(headers) { $0.value($1) } }
        init(from reader: inout ByteReader) throws { headers = try reader.array { try $0.value(PlanHeader.self) } }
    }
}
