import DubanCore
import Foundation

/// What lists of plans show (`duban plans`, the dashboard's plan switcher): enough to choose one, without loading it.
public struct PlanHeader: Sendable, Equatable, Codable {
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
        for path in planFiles(in: directory) {
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
        return (headers, rejected)
    }
}
