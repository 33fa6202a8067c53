import Foundation
import Testing
@testable import duban

/// The JSON scripts read is what JSONEncoder wrote before (pretty, sorted keys, slashes as they are), with the characters
/// JSONEncoder passes through raw escaped: the same bytes, written without JSONEncoder's per-value costs.
@Suite struct PrettyJSONOutput {
    struct Inner: Encodable { let name: String; let values: [Double]; let empty: [Int]; let nothing: [String: Int] }
    struct Row: Encodable {
        let b: Int; let B: Int; let a10: String; let a9: Bool; let 中: Int64?; let missing: String?; let inner: Inner
        let nested: [[Int]]; let map: [String: [Int]]; let ids: [Int: String]; let flag: Float
        @Null var explicit: String?
        @Null var ratio: Double?
        @Null var count: Int?
        @Null var big: Int64?
        @Null var yes: Bool?
        @Null var list: [Int]?
        let maybe: [Int?]
        let wrapped: [String: Bool?]
    }

    static func reference<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        var out = ""
        for scalar in json.unicodeScalars {
            let v = scalar.value
            if v == 0x7F || (0x80..<0xA0).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                || v == 0x200E || v == 0x200F || v == 0x061C || v == 0x2028 || v == 0x2029 {
                out += String(format: "\\u%04x", v)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let texts = ["plain", "", "引号\"反斜杠\\斜杠/", "换行\n回车\r制表\t\u{8}\u{c}", "\u{0}\u{1b}[31m\u{1f}", "甲\u{202e}乙\u{85}\u{7f}",
                        "\u{2028}\u{2029}\u{200f}", "😀 emoji and 中文", "各区县（市）“按时”完成——", "标记\u{61c}在中间", "café"]
    static let numbers: [Double] = [0, -0.0, 1, 0.85, 1e-5, 2.25e-7, 123456789.125, 0.1 + 0.2, 3e15, 3e16, 1e21, -42.5, 100]

    @Test func sameBytesAsJSONEncoderForEveryShape() throws {
        var rows: [Row] = []
        for (i, text) in Self.texts.enumerated() {
            rows.append(Row(b: i, B: -i, a10: text, a9: i % 2 == 0, 中: i % 3 == 0 ? nil : Int64(i) << 40, missing: i % 2 == 0 ? text : nil,
                            inner: Inner(name: text, values: Self.numbers, empty: [], nothing: [:]),
                            nested: [[], [i, i + 1]], map: [text: [i], "k": []], ids: [i: text, 10 + i: "x"], flag: Float(i) / 10,
                            explicit: i % 2 == 0 ? nil : text, ratio: i % 3 == 0 ? nil : Self.numbers[i % Self.numbers.count],
                            count: i % 2 == 1 ? nil : -i, big: i % 2 == 1 ? nil : Int64(i) << 40, yes: i % 3 == 0 ? nil : i % 2 == 0,
                            list: i % 2 == 0 ? nil : [i], maybe: [i, nil, -i], wrapped: ["t": true, "n": nil, "f": false]))
        }
        #expect(String(decoding: try PrettyJSON.encode(rows), as: UTF8.self) == (try Self.reference(rows)))
        #expect(String(decoding: try PrettyJSON.encode([Row]()), as: UTF8.self) == (try Self.reference([Row]())))
        // A list written element by element (what printJSON does with arrays and lazy rows) is the same bytes.
        #expect(String(decoding: try PrettyJSON.encode(elements: rows), as: UTF8.self) == (try Self.reference(rows)))
        #expect(String(decoding: try PrettyJSON.encode(elements: rows.lazy.map { $0 }), as: UTF8.self) == (try Self.reference(rows)))
        #expect(String(decoding: try PrettyJSON.encode(elements: [Row]()), as: UTF8.self) == (try Self.reference([Row]())))
        #expect(String(decoding: try PrettyJSON.encode(elements: Self.texts), as: UTF8.self) == (try Self.reference(Self.texts)))
        // Handed on in pieces as printJSON writes them: the same bytes, each piece but the last at least the chunk.
        for chunk in [1, 300] {
            var pieces: [[UInt8]] = []
            try PrettyJSON.encode(elements: rows.lazy.map { $0 }, chunk: chunk) { pieces.append($0) }
            #expect(String(decoding: pieces.joined(), as: UTF8.self) == (try Self.reference(rows)))
            #expect(pieces.dropLast().allSatisfy { $0.count >= chunk } && pieces.count > 1)
        }
        for text in Self.texts {
            #expect(String(decoding: try PrettyJSON.encode(text), as: UTF8.self) == (try Self.reference(text)))
        }
        #expect(String(decoding: try PrettyJSON.encode(["z": 1, "a": 2]), as: UTF8.self) == (try Self.reference(["z": 1, "a": 2])))
    }

    /// Text that needs no escape is copied whole; the bytes that could begin an escape are derived from the rule.
    /// Every scalar of the plane, 256 to a string, comes out as JSONEncoder (and our escapes) would write it.
    @Test func everyScalarOfThePlaneIsWrittenAsTheRuleSays() throws {
        #expect((0...255).map { PrettyJSON.mayBeginEscape(UInt8($0)) } == PrettyJSON.derivedMayBeginEscape())
        for block in 0..<256 {
            var text = "甲"
            for v in (block * 256)..<(block * 256 + 256) { if let scalar = Unicode.Scalar(v) { text.unicodeScalars.append(scalar) } }
            #expect(String(decoding: try PrettyJSON.encode(text), as: UTF8.self) == (try Self.reference(text)), "block \(block)")
        }
    }

    /// Hand-written encoders: a container asked for twice, a key encoded twice, a super-encoder filled after its place was taken, nested
    /// containers opened from a keyed one, values that encode nothing.
    struct Handwritten: Encodable {
        enum Key: String, CodingKey { case x, y, inner, list, later, nothing }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        let inner: Inner
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Key.self)
            let later = first.superEncoder(forKey: .later)
            try first.encode(1, forKey: .x)
            var list = first.nestedUnkeyedContainer(forKey: .list)
            try list.encode(Nothing())
            try inner.encode(to: list.superEncoder())
            var again = encoder.container(keyedBy: Key.self)
            try again.encode("y", forKey: .y)
            try again.encode(2, forKey: .x)  // the same key again: the later value is written, once
            try again.encode(Nothing(), forKey: .nothing)
            var nested = again.nestedContainer(keyedBy: Key.self, forKey: .inner)
            try nested.encode(inner, forKey: .inner)
            try inner.encode(to: later)
        }
    }

    @Test func handwrittenEncodersMatchJSONEncoder() throws {
        let value = [Handwritten(inner: Inner(name: "甲", values: [1.5], empty: [], nothing: [:])),
                     Handwritten(inner: Inner(name: "", values: [], empty: [2], nothing: ["k": 3]))]
        #expect(String(decoding: try PrettyJSON.encode(value), as: UTF8.self) == (try Self.reference(value)))
        #expect(String(decoding: try PrettyJSON.encode(elements: value), as: UTF8.self) == (try Self.reference(value)))
    }

    @Test func refusesWhatJSONCannotSay() {
        #expect(throws: EncodingError.self) { try PrettyJSON.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try PrettyJSON.encode(["x": Double.infinity]) }
        #expect(throws: EncodingError.self) { try PrettyJSON.encode(elements: [1, Double.nan]) }
        struct Ratio: Encodable { @Null var value: Double? }
        #expect(throws: EncodingError.self) { try PrettyJSON.encode(Ratio(value: .nan)) }
    }
}
