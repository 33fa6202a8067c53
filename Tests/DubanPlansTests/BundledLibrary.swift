import DubanCore
import DubanPlans
import Foundation

/// The repository's Plans/ and source documents, loaded once for all tests.
enum Bundled {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let plansDirectory = root.appendingPathComponent("Plans").path

    static let library: PlanLibrary = {
        do { return try PlanLibrary.load(directory: plansDirectory) } catch { fatalError("cannot load Plans/: \(error)") }
    }()

    static func plan(_ id: String) -> Plan {
        guard let plan = library.plan(id) else { fatalError("bundled plan \(id) missing") }
        return plan
    }

    static func seed(_ file: String) -> String {
        let url = root.appendingPathComponent("Tests/Seeds").appendingPathComponent(file)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { fatalError("seed \(file) missing") }
        return text
    }

    /// The expectations read from the documents, one row per node: id, title, lead, responsible, deadline.
    static func expected(_ planID: String) -> [[String]] {
        let url = root.appendingPathComponent("Tests/DubanPlansTests/Fixtures/expected/\(planID).tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { fatalError("expectations for \(planID) missing") }
        return text.split(separator: "\n").dropFirst().map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

/// Text with every kind of whitespace removed: page breaks and PDF spacing vanish, characters stay.
func squeezed(_ text: String) -> String {
    String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
}
