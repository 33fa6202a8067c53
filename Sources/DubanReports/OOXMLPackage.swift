import DubanCore
import Foundation
import ZIPFoundation

/// An Office Open XML package (.docx, .xlsx): named XML parts zipped with fixed timestamps, so the same
/// input gives the same bytes.
struct OOXMLPackage {
    var parts: [(path: String, xml: String)] = []

    mutating func add(_ path: String, _ xml: String) { parts.append((path, xml)) }

    func data(modified: Date) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let bytes = Data(part.xml.utf8)
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: modified,
                                 compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
}

enum XML {
    /// Text safe inside an element or attribute: markup escaped; characters XML forbids made visible.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                let v = scalar.value
                // Controls, C1 and bidi overrides are shown as text (a U+202E would reverse the line in Word).
                if (SafeText.isForbidden(scalar) && v != 0x0D) || v == 0xFFFE || v == 0xFFFF || (0xD800...0xDFFF).contains(v) {
                    out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
