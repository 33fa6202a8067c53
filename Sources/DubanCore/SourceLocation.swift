/// Where a value came from in a human-edited file, so a problem can be reported as `file:line`.
/// Plain data: the model never opens the file.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible, Codable {
    public let file: String
    public let line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// A value read from a file together with its location.
public struct Located<Value: Sendable>: Sendable {
    public let value: Value
    public let location: SourceLocation?

    public init(_ value: Value, at location: SourceLocation? = nil) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}

/// A problem found while assembling plans, registries or calendars.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public let severity: Severity
    public let location: SourceLocation?
    public let message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public static func warning(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// `file:line: 错误: message` — the shape editors and clerks both can follow.
    public var description: String {
        let label = severity == .error ? "错误" : "警告"
        if let location { return "\(location): \(label): \(message)" }
        return "\(label): \(message)"
    }
}
