import DubanCore
import Foundation

/// Something the importer was unsure of, with the source line it came from.
public struct ImportWarning: Sendable, Equatable {
    public let line: Int
    public let kind: String
    public internal(set) var message: String
}

/// An official 工作要点 text → a plan draft (the plan file format), with warnings by line.
public struct PlanImporter {
    public struct Options: Sendable {
        public var planID: String?
        public var city: String?
        /// The plan year when the document does not say it.
        public var year: Int?
        /// Which plan of a notice that carries two (a word of its title).
        public var part: String?

        public init(planID: String? = nil, city: String? = nil, year: Int? = nil, part: String? = nil) {
            self.planID = planID
            self.city = city
            self.year = year
            self.part = part
        }
    }

    public struct Result: Sendable {
        public let yaml: String
        public let planID: String
        public let warnings: [ImportWarning]
        public let draft: PlanDraft
    }

    let registries: [String: UnitRegistry]
    let options: Options
    public internal(set) var warnings: [ImportWarning] = []
    /// Each unknown unit's warning (its place in `warnings`, its words) and the further lines that name it: said once.
    var unknownUnits: [String: (warning: Int, message: String, lines: [Int])] = [:]
    /// The file being read, for the locations of what it names.
    var sourceFile = ""
    /// Set once the document says the first unit of each list leads (“列第一位者为牵头单位，下同”).
    var firstNamedLeads = false

    public init(registries: [String: UnitRegistry], options: Options) {
        self.registries = registries
        self.options = options
    }

    mutating func warn(_ line: Int, _ kind: String, _ message: String) {
        warnings.append(ImportWarning(line: line, kind: kind, message: message))
    }
}
