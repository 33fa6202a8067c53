import DubanTestSupport
import Foundation

/// Runs the built `duban` executable the way a script would: arguments in, stdout, stderr and exit code out.
struct DubanBinary {
    typealias Result = ChildProcess.Result

    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Next to the test bundle: `swift test` builds the executable into the same directory.
    static let path: String = {
        let fm = FileManager.default
        var candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let file = directory.appendingPathComponent("duban").path
            if fm.isExecutableFile(atPath: file) { return file }
        }
        fatalError("duban executable not found next to the tests (looked in \(candidates.map(\.path)))")
    }()

    static var bundledPlans: String { repositoryRoot.appendingPathComponent("Plans").path }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["DUBAN_PLANS"] = nil
        for (k, v) in environment { env[k] = v }
        return try capture(path, arguments, environment: env, directory: directory)
    }

    /// Runs a program to its end with exactly this environment, and collects what it printed.
    @discardableResult
    static func capture(_ executable: String, _ arguments: [String], environment: [String: String],
                        directory: String? = nil) throws -> Result {
        try ChildProcess.run(executable, arguments, environment: environment, directory: directory ?? repositoryRoot.path)
    }

    static func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments + ["--json"])
        guard result.status == 0 else {
            throw NSError(domain: "duban", code: Int(result.status), userInfo: [NSLocalizedDescriptionKey: result.stderr])
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}

/// A scratch directory removed at the end of the test.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "duban-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
