import COpenCC
import Foundation

/// Traditional → Simplified with OpenCC (its t2s configuration: phrase tables first, then characters).
/// Mirrors and Hong Kong / Taiwan copies of mainland documents are common; plans are kept in Simplified.
public enum ScriptConversion {
    /// The converted text, or nil when the text is not Traditional (or OpenCC is unavailable).
    /// A text is Traditional when conversion changes a real share of its Han characters (at least 2 % and three
    /// characters): Simplified text changes by none or a stray variant, a Traditional one by one character in five or more.
    public static func simplified(_ text: String) -> (text: String, changed: Int)? {
        guard let converted = toSimplified(text) else { return nil }
        let before = Array(text.unicodeScalars), after = Array(converted.unicodeScalars)
        let han = before.filter(isHan).count
        guard han > 0 else { return nil }
        let changed: Int
        if before.count == after.count {
            changed = zip(before, after).filter { $0 != $1 }.count
        } else {
            changed = abs(before.count - after.count) + Set(before).subtracting(after).count
        }
        guard changed >= 3, Double(changed) / Double(han) >= 0.02 else { return nil }
        return (converted, changed)
    }

    static func isHan(_ s: Unicode.Scalar) -> Bool { (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value) }

    /// One converter per process: opening it reads the dictionaries (a few milliseconds).
    /// Guarded by `lock`: OpenCC's converter is not documented as thread-safe.
    nonisolated(unsafe) private static let converter: UnsafeMutableRawPointer? = {
        // A full path: given a bare name OpenCC looks in the working directory first, which is the caller's choice
        // (and duban may run with a service account's rights).
        let installed = ["/usr/share/opencc/t2s.json", "/usr/local/share/opencc/t2s.json"]
        let config = installed.first { FileManager.default.fileExists(atPath: $0) } ?? installed[0]
        guard let handle = opencc_open(config), handle != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        return handle
    }()
    private static let lock = NSLock()

    static func toSimplified(_ text: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard let converter, let output = opencc_convert_utf8(converter, text, text.utf8.count) else { return nil }
        defer { opencc_convert_utf8_free(output) }
        return String(cString: output)
    }
}
