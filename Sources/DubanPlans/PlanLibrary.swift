import DubanCore
import Foundation

/// Everything under a plans directory: the plans, one unit registry per city, and the working-day calendar.
///
///     Plans/
///       changsha-2021.yaml …   one file per plan
///       units/changsha.yaml …  one registry per city
///       calendar/2021.yaml …   one holiday arrangement per year
public struct PlanLibrary: Sendable {
    public let directory: String
    public let plans: [Plan]
    public let registries: [String: UnitRegistry]
    public let calendar: WorkdayCalendar
    /// Ranking weights from scoring.yaml (defaults when the file is absent).
    public let weights: ScoringWeights
    /// The warning lights' thresholds from the same file.
    public var lights = LightRules.standard
    /// The reporting cycle of plans that do not set their own (scoring.yaml's `report_cycle`).
    public var defaultReportCycle = ReportingCycle.standard

    public func reportCycle(for plan: Plan) -> ReportingCycle { plan.reportCycle ?? defaultReportCycle }
    /// Every problem found, errors and warnings, in file order.
    public let diagnostics: [Diagnostic]
    /// Plan files left out because they have errors (file path → error count). A plan with an unknown
    /// unit would silently lose assignments, so it is not half-loaded.
    public let rejectedFiles: [String: Int]
    /// scoring.yaml, when it has errors and the default weights are used instead (every ranking must say so).
    public var brokenScoringFile: String? = nil

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func plan(_ id: String) -> Plan? { plans.first { $0.id == id } }

    /// Plan files bigger than this are refused: a plan is a few dozen kilobytes.
    public static let maximumFileSize = 4 * 1024 * 1024

    /// Loads the calendar, the weights, every registry and the plans: all of them, or only those in
    /// `only` (a command about one plan should not parse seventy). With a `cache`, what has not changed since it was
    /// last compiled is read from it (see PlanCache); without, everything is parsed (`duban check`).
    public static func load(directory: String, only: Set<String>? = nil, cache: PlanCache? = nil) throws -> PlanLibrary {
        try requireDirectory(directory)
        var diagnostics: [Diagnostic] = []

        // Calendar.
        var holidayYears: [Int: HolidayYear] = [:]
        for path in yamlFiles(in: join(directory, "calendar")) {
            let key = PlanCache.key("calendar", [PlanCache.fingerprint(path)])
            if let cached = cache?.value(HolidayYear.self, key: key), holidayYears[cached.year] == nil {
                holidayYears[cached.year] = cached
                continue
            }
            guard let text = read(path, into: &diagnostics) else { continue }
            let (year, found) = CalendarFile.parse(text, file: path)
            if let year, !found.contains(where: { $0.severity == .error }) { cache?.store(year, key: key) }
            diagnostics += found
            if let year {
                if holidayYears[year.year] != nil {
                    diagnostics.append(.error("\(year.year) 年的节假日安排重复", at: SourceLocation(file: path, line: 1)))
                }
                holidayYears[year.year] = year
            }
        }
        // Built once from every year (its running count of working days spans them all).
        let calendar = WorkdayCalendar(holidayYears.keys.sorted().compactMap { holidayYears[$0] })

        // Ranking weights.
        var weights = ScoringWeights.standard
        var lights = LightRules.standard
        var cycle = ReportingCycle.standard
        var brokenScoring: String?
        let scoringPath = join(directory, "scoring.yaml")
        if FileManager.default.fileExists(atPath: scoringPath), let text = read(scoringPath, into: &diagnostics) {
            let (parsed, rules, reportCycle, found) = ScoringFile.parseAll(text, file: scoringPath)
            diagnostics += found
            if let parsed, let rules, let reportCycle, !found.contains(where: { $0.severity == .error }) {
                weights = parsed
                lights = rules
                cycle = reportCycle
            } else {
                brokenScoring = scoringPath
            }
        }

        // Registries: parsed (or read from the cache) only when a plan must be compiled, or all plans were asked for; a
        // command about one cached plan takes its registry from the plan.
        // Every plan depends on the registries' contents: their keys are part of each plan's.
        let registryFiles = yamlFiles(in: join(directory, "units"))
        let registryKeys = registryFiles.map(registryKey)
        var loadedRegistries: [String: UnitRegistry]?
        func registries() -> [String: UnitRegistry] {
            if let loadedRegistries { return loadedRegistries }
            var registries: [String: UnitRegistry] = [:]
            for (path, key) in zip(registryFiles, registryKeys) {
                if let cached = cache?.value(UnitRegistry.self, key: key), registries[cached.city] == nil {
                    registries[cached.city] = cached
                    continue
                }
                guard let text = read(path, into: &diagnostics) else { continue }
                let (parsed, found) = RegistryFile.parseWithDiagnostics(text, file: path)
                diagnostics += found
                guard let parsed else { continue }
                if registries[parsed.city] != nil {
                    diagnostics.append(.error("城市“\(parsed.city)”的单位名册重复", at: SourceLocation(file: path, line: 1)))
                    continue
                }
                let (registry, problems) = UnitRegistry.assemble(city: parsed.city, drafts: parsed.units)
                diagnostics += problems
                registries[parsed.city] = registry
                if !(found + problems).contains(where: { $0.severity == .error }) { cache?.store(registry, key: key) }
            }
            loadedRegistries = registries
            return registries
        }
        if only == nil { _ = registries() }

        // Plans.
        var plans: [Plan] = []
        var rejected: [String: Int] = [:]
        for path in planFiles(in: directory) where only == nil || only!.contains(stem(path)) {
            let before = diagnostics.count
            defer {
                let errors = diagnostics[before...].filter { $0.severity == .error }.count
                if errors > 0 {
                    rejected[path] = errors
                    plans.removeAll { $0.location?.file == path }
                }
            }
            let key = PlanCache.key("plan", [PlanCache.fingerprint(path)] + registryKeys)
            if let cached = cache?.value(Plan.self, key: key), cached.id == stem(path), !plans.contains(where: { $0.id == cached.id }) {
                plans.append(cached)
                continue
            }
            guard let text = read(path, into: &diagnostics) else { continue }
            let (draft, found) = PlanFile.parse(text, file: path)
            diagnostics += found
            guard let draft else { continue }
            if draft.id.value != stem(path) {
                diagnostics.append(.error("计划编号“\(draft.id.value)”应与文件名“\(stem(path))”一致", at: draft.id.location))
            }
            guard let registry = registries()[draft.city.value] else {
                let known = registries().keys.sorted().joined(separator: "、")
                diagnostics.append(.error("没有“\(draft.city.value)”的单位名册（Plans/units/ 中已有：\(known.isEmpty ? "无" : known)）", at: draft.city.location))
                continue
            }
            let (plan, problems) = PlanAssembler.assemble(draft, registry: registry)
            diagnostics += problems
            if !diagnostics[before...].contains(where: { $0.severity == .error }) { cache?.store(plan, key: key) }
            if let other = plans.first(where: { $0.id == plan.id }) {
                diagnostics.append(.error("计划编号“\(plan.id)”与 \(other.id) 重复", at: draft.id.location))
                continue
            }
            plans.append(plan)
        }
        plans.sort { ($0.year, $0.id) < ($1.year, $1.id) }
        // Asked for no plan (only the registries, say), or none came from the cache: every registry.
        let known = loadedRegistries ?? (plans.isEmpty ? registries()
            : Dictionary(plans.map { ($0.city, $0.registry) }, uniquingKeysWith: { a, _ in a }))
        var library = PlanLibrary(directory: directory, plans: plans, registries: known, calendar: calendar, weights: weights,
                                  diagnostics: diagnostics, rejectedFiles: rejected)
        library.brokenScoringFile = brokenScoring
        library.lights = lights
        library.defaultReportCycle = cycle
        return library
    }

    /// A plan's figures on a day, with this library's calendar, weights and light thresholds.
    public func snapshot(of plan: Plan, asOf: CivilDate, states: PlanStates) -> PlanSnapshot {
        PlanSnapshot(plan: plan, calendar: calendar, asOf: asOf, states: states, weights: weights, lights: lights)
    }

    static func requireDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PlanLibraryError.missingDirectory(directory)
        }
    }

    /// The plan files of a plans directory (every YAML file but the settings).
    static func planFiles(in directory: String) -> [String] {
        yamlFiles(in: directory).filter { !$0.hasSuffix("/scoring.yaml") }
    }

    /// The cache keys of the registries, in file order: part of every plan's key.
    static func registryKeys(directory: String) -> [String] {
        yamlFiles(in: join(directory, "units")).map(registryKey)
    }

    static func registryKey(_ path: String) -> String { PlanCache.key("registry", [PlanCache.fingerprint(path)]) }

    static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    private static func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }

    private static func yamlFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { join(directory, $0) }
    }

    private static func read(_ path: String, into diagnostics: inout [Diagnostic]) -> String? {
        let location = SourceLocation(file: path, line: 1)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            diagnostics.append(.error("无法读取文件", at: location))
            return nil
        }
        if size > maximumFileSize {
            diagnostics.append(.error("文件过大（\(size / 1024) KB，上限 \(maximumFileSize / 1024 / 1024) MB）", at: location))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(.error("无法读取文件", at: location))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(.error("文件不是 UTF-8 编码（请另存为 UTF-8）", at: location))
            return nil
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}

public enum PlanLibraryError: Error, CustomStringConvertible {
    case missingDirectory(String)

    public var description: String {
        switch self {
        case let .missingDirectory(path):
            return "找不到计划目录“\(path)”：请用 --plans 或环境变量 DUBAN_PLANS 指定存放计划文件的目录"
        }
    }
}
