import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of an office text file → text: UTF-8 (with or without BOM) when the bytes are valid UTF-8,
/// otherwise GB18030 (which covers GBK and GB2312), as most office text files in China are.
public enum TextDecoding {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8", gb18030 = "gb18030"
    }

    public static func decode(_ data: Data, forcing: Encoding? = nil) -> (String, Encoding)? {
        var bytes = data
        if forcing != .gb18030, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if forcing != .gb18030, let text = String(data: bytes, encoding: .utf8) { return (text, .utf8) }
        if forcing == .utf8 { return nil }
        return iconv(data, from: "GB18030").map { ($0, .gb18030) }
    }

    /// Converts with the C library's iconv: exact, and present on every Debian machine.
    static func iconv(_ data: Data, from encoding: String) -> String? {
        let cd = iconv_open("UTF-8", encoding)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = [CChar](repeating: 0, count: data.count)
        data.withUnsafeBytes { raw in
            for (i, b) in raw.enumerated() { input[i] = CChar(bitPattern: b) }
        }
        var output = [CChar](repeating: 0, count: data.count * 2 + 16)
        var inLeft = input.count
        var outLeft = output.count
        let converted = input.withUnsafeMutableBufferPointer { inBuffer -> Bool in
            output.withUnsafeMutableBufferPointer { outBuffer -> Bool in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                return Glibc.iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != -1
            }
        }
        guard converted, inLeft == 0 else { return nil }
        return String(decoding: output.prefix(output.count - outLeft).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
