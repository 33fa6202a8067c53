import ArgumentParser
import CNcurses
import DubanCore
import DubanStore
import Foundation

/// A failure the user can act on: printed to stderr as one line, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }

    /// What the caller asked for is wrong (an unknown plan, node or unit, a value out of range): nothing was done, exit 2,
    /// as the help promises, so a script can tell a typo from a failing disk or database (1).
    static func input(_ message: String) -> CLIError { CLIError(message, exitCode: 2) }
}

extension ParsableCommand {
    /// Runs the command body, turning a CLIError or a store's error into a message on stderr and its exit code.
    func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIError {
            printError("duban: \(error.message)")
            throw ExitCode(error.exitCode)
        } catch let error as StoreError {
            printError("duban: \(error.description)")
            throw ExitCode(error.exitCode)
        }
    }
}

/// Every write to stdout is checked: a full disk or a closed pipe is an error the caller hears of (and the process
/// exits non-zero), never a crash (FileHandle.write traps) and never a silent loss.
enum StandardOutput {
    static func write(_ data: some ContiguousBytes) throws {
        guard duban_stdout_failed() == 0 else { throw failure(errno) }   // what print() buffered goes first
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure(errno) }
                offset += n
            }
        }
    }

    static func failure(_ code: Int32) -> CLIError {
        CLIError("结果没能写出（\(String(cString: strerror(code)))）：磁盘满了，或接收输出的管道已关闭")
    }

    /// At the end of a command: what print() left in the buffer must have reached its file.
    static func finish() -> Bool { duban_stdout_failed() == 0 }
}

/// A line on stdout, written through at once: a script (or a test) reading acknowledgements must
/// see each one as soon as it is true.
func writeLine(_ text: String) throws {
    try StandardOutput.write(Data((text + "\n").utf8))
}

func printError(_ message: String) {
    // Messages quote file contents and clerks' input: shown, never obeyed by the terminal. A stderr that cannot
    // be written leaves only the exit code to speak.
    let data = Data((SafeText.escaped(message, keepNewlines: true) + "\n").utf8)
    _ = data.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress!, $0.count) }
}

/// JSON on stdout: pretty, keys sorted, Chinese left readable.
func printJSON<T: Encodable>(_ value: T) throws { try writeJSONLine(PrettyJSON.encode(value)) }

/// A list as JSON, encoded an element at a time (the same bytes as the array through `printJSON(_:)`).
func printJSON<Element: Encodable>(_ rows: [Element]) throws { try printJSON(elements: rows) }

/// Rows made as they are written (a lazy map), and written in pieces of 64 KB as they are made: a long list never
/// exists whole, neither as rows nor as its JSON (`overdue --json` of 8,000 rows made 5.7 MB, grown by doubling).
func printJSON<S: Sequence>(elements: S) throws where S.Element: Encodable {
    try PrettyJSON.encode(elements: elements, chunk: 64 * 1024) { try StandardOutput.write($0) }
    try StandardOutput.write([10])
}

/// Consumed, so the newline is appended in place rather than to a copy of the whole document.
private func writeJSONLine(_ json: consuming [UInt8]) throws {
    json.append(10)
    try StandardOutput.write(json)
}

/// Text from plan files on its way to a terminal: control characters shown, not obeyed.
func shown(_ text: String) -> String { SafeText.escaped(text) }

/// A date argument in YYYY-MM-DD.
struct DateArgument: ExpressibleByArgument {
    let date: CivilDate

    init?(argument: String) {
        guard let date = CivilDate(iso: argument) else { return nil }
        self.date = date
    }

    static var defaultValueDescription: String { "YYYY-MM-DD" }
}

/// Left-aligned columns measured in display columns, so Chinese lines up.
func table(_ rows: [[String]], width: DisplayWidth = DisplayWidth(), gap: Int = 2) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
        for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width.of(cell)) }
    }
    return rows.map { row in
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : width.padded(cell, to: widths[i] + gap)
        }.joined()
    }.joined(separator: "\n")
}

/// An optional written as `null` when nil (the synthesized encoding leaves the key out), so a script can rely on each
/// documented key being present. A property wrapper rather than reflection: reflecting a row cost a runtime
/// conformance lookup per property type, a fifth of `plans --json`.
/// Encodable by an extension, not a constraint on `Value`: a constrained type's metadata, built from its mangled name
/// the first time PrettyJSON compares against `Null<String>`, checks `String: Encodable` by scanning all 9,300 of the
/// binary's conformance records, once per wrapped type (four scans, 0.1 ms of every --json command).
@propertyWrapper
struct Null<Value> {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
}

extension Null: Encodable where Value: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension StoreError {
    /// 2: the update cannot be taken as given (nothing written); 3: a conflict the clerk resolves by looking again;
    /// 4: not allowed; 1: anything else.
    var exitCode: Int32 {
        switch self {
        case .datedBeforeLatest, .notAFile, .rejected: 2
        case .conflict: 3
        case .refused: 4
        default: 1
        }
    }
}

/// The process environment, one variable at a time: `ProcessInfo.environment` copies every variable into a new
/// dictionary on each call, and a command asks for several.
struct Environment {
    subscript(name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
