import DubanCore

/// JSON for scripts, byte for byte what `JSONEncoder` writes with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`,
/// except that DEL, C1, bidi controls and line separators (which JSONEncoder passes through raw) are escaped too — but without JSONEncoder's per-value dynamic casts (Date? URL? Decimal?), which made
/// printing a 14,000-row overdue list cost three times the work of computing it. Scalars are rendered as they arrive;
/// objects keep their entries until the value is complete, then are written with their keys sorted (by code point, as
/// JSONEncoder sorts them). Coding paths are not tracked (an error names the value, not where it was).
enum PrettyJSON {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let scalars = Scalars()
        let root = try node(for: value, scalars: scalars, codingPath: [])
        var writer = Writer(scalars: scalars.bytes)
        writer.out.reserveCapacity(scalars.bytes.count * 2 + 64)
        writer.write(root, indent: 0)
        return writer.out
    }

    /// A list written element by element, the same bytes as `encode` of the array: only one element's tree exists at a
    /// time, so a list of 8,000 rows costs its output and not also a tree of 130,000 nodes (whose fresh pages the
    /// kernel zeroed: a quarter of `overdue --json`'s time). The elements may be a lazy sequence, never all in memory.
    static func encode<S: Sequence>(elements: S) throws -> [UInt8] where S.Element: Encodable {
        var whole: [UInt8] = []
        whole.reserveCapacity(elements.underestimatedCount * 256 + 64)
        try encode(elements: elements, chunk: .max) { whole.append(contentsOf: $0) }
        return whole
    }

    /// The same bytes handed on in pieces of about `chunk` bytes (the last may be shorter) as they are made: a list
    /// of 8,000 rows (5.7 MB) need never be whole in memory, nor copied each time its buffer doubles. A value that
    /// cannot be encoded stops the list where it is: what was handed on stays handed on.
    static func encode<S: Sequence>(elements: S, chunk: Int, into sink: ([UInt8]) throws -> Void) throws where S.Element: Encodable {
        let scalars = Scalars()
        var writer = Writer(scalars: [])
        writer.out.reserveCapacity(min(chunk, elements.underestimatedCount * 256) + 4096)
        try writer.writeList(elements, indent: 0) { writer, element in
            scalars.bytes.removeAll(keepingCapacity: true)
            let node = try node(for: element, scalars: scalars, codingPath: [])
            writer.scalars = scalars.bytes
            writer.write(node, indent: 2)
            writer.scalars = []  // the buffer's only owner again, so the next element reuses it instead of copying
            if writer.out.count >= chunk {
                try sink(writer.out)
                writer.out.removeAll(keepingCapacity: true)
            }
        }
        try sink(writer.out)
    }

    /// A value as it is built: scalars already rendered (their bytes in the one `Scalars` buffer).
    enum Node {
        case scalar(Range<Int>)
        case object(ObjectBox)
        case array(ArrayBox)
        /// A super-encoder's value, whose container is chosen after its place is taken.
        case pending(NodeSlot)
    }

    // The boxes and the scalar buffer are touched by one encoder on one thread, strictly nested: the runtime's
    // exclusivity bookkeeping on every append was a tenth of the encoding's time.
    final class ObjectBox {
        @exclusivity(unchecked) var entries: [(key: String, value: Node)] = []
        /// Sized like the object before it: a list's rows have the same keys, so each row's entries grow once, not five times.
        init(capacity: Int = 0) { entries.reserveCapacity(capacity) }
    }
    final class ArrayBox { @exclusivity(unchecked) var items: [Node] = [] }
    /// Filled when the nested value has been encoded (a container handed out before its contents arrive).
    final class NodeSlot { @exclusivity(unchecked) var node: Node?; init(_ node: Node? = nil) { self.node = node } }

    /// Every scalar of the value rendered end to end in one buffer: an array per number and string cost an allocation
    /// each, 120,000 of them for an overdue list of 8,000 rows.
    final class Scalars {
        @exclusivity(unchecked) var bytes: [UInt8] = []
        /// The value `node(for:)` is encoding, once its encoder has chosen a container or written a scalar: kept here
        /// rather than in an object per nested value (a 14,000-row list has 200,000 of them).
        @exclusivity(unchecked) var current: Node?
        /// How many entries the last object had, to size the next one.
        @exclusivity(unchecked) var lastObjectSize = 0

        private func appended(_ body: (inout [UInt8]) throws -> Void) rethrows -> Node {
            let start = bytes.count
            try body(&bytes)
            return .scalar(start..<bytes.count)
        }

        func text(_ text: String) -> Node { appended { PrettyJSON.string(text, into: &$0) } }
        func integer<I: BinaryInteger>(_ number: I) -> Node { appended { $0.append(contentsOf: String(number).utf8) } }
        func flag(_ flag: Bool) -> Node { appended { $0.append(contentsOf: (flag ? "true" : "false").utf8) } }
        var null: Node { appended { $0.append(contentsOf: "null".utf8) } }

        /// JSONEncoder writes integral numbers without `.0`, otherwise as Swift describes them.
        func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ number: F) throws -> Node {
            guard number.isFinite else {
                throw EncodingError.invalidValue(number, .init(codingPath: [], debugDescription: "JSON has no \(number)"))
            }
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            return appended { $0.append(contentsOf: text.utf8) }
        }
    }

    /// Writes the finished tree, indented as JSONEncoder indents.
    struct Writer {
        var scalars: [UInt8]
        var out: [UInt8] = []
        /// The last object's keys and their sorted order: the rows of a list repeat their keys, so they are sorted once.
        private var lastKeys: [String] = []
        private var lastOrder: [Int] = []

        init(scalars: [UInt8]) { self.scalars = scalars }

        mutating func write(_ node: Node, indent: Int) {
            switch node {
            case let .scalar(range):
                out.append(contentsOf: scalars[range])
            case let .pending(slot):
                write(slot.node ?? .object(ObjectBox()), indent: indent)
            case let .array(box):
                writeList(box.items, indent: indent) { $0.write($1, indent: indent + 2) }
            case let .object(box):
                out.append(UInt8(ascii: "{"))
                out.append(10)
                let entries = box.entries
                for (n, i) in writtenOrder(of: entries).enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")); out.append(10) }
                    pad(indent + 2)
                    string(entries[i].key, into: &out)
                    out.append(32); out.append(UInt8(ascii: ":")); out.append(32)
                    write(entries[i].value, indent: indent + 2)
                }
                out.append(10)
                pad(indent)
                out.append(UInt8(ascii: "}"))
            }
        }

        /// An array as JSONEncoder lays it out: each item on its own line, two spaces further in, written by `item`.
        mutating func writeList<S: Sequence>(_ items: S, indent: Int, item: (inout Writer, S.Element) throws -> Void) rethrows {
            out.append(UInt8(ascii: "["))
            out.append(10)
            for (i, element) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")); out.append(10) }
                pad(indent + 2)
                try item(&self, element)
            }
            out.append(10)
            pad(indent)
            out.append(UInt8(ascii: "]"))
        }

        /// The entries to write, by key in code point order (UTF-8 byte order is code point order); of entries with the
        /// same key only the later, as in JSONEncoder. Worked out once per shape of object: a list's rows repeat it.
        private mutating func writtenOrder(of entries: [(key: String, value: Node)]) -> [Int] {
            if entries.count == lastKeys.count, zip(entries, lastKeys).allSatisfy({ $0.key == $1 }) { return lastOrder }
            let keys = entries.map(\.key)
            let sorted = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) || (keys[$0] == keys[$1] && $0 < $1) }
            let order = sorted.indices.filter { $0 + 1 == sorted.count || keys[sorted[$0 + 1]] != keys[sorted[$0]] }.map { sorted[$0] }
            (lastKeys, lastOrder) = (keys, order)
            return order
        }

        private mutating func pad(_ n: Int) { out.append(contentsOf: repeatElement(32, count: n)) }
    }

    /// JSONEncoder's escapes (quote, backslash, C0 controls) and then ours: DEL, C1, bidi controls and line
    /// separators as `\uXXXX`, so stored text cannot reorder or break what a script's reader shows.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text (every Chinese name and note) needs no escape: copied as it is, once no byte could begin one.
        var text = text
        let copied = text.withUTF8 { bytes in
            guard !bytes.contains(where: mayBeginEscape) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 0x20, v != 0x22, v != 0x5C, !SafeText.isForbidden(scalar), !SafeText.isLineSeparator(v) {
                if v < 0x80 { out.append(UInt8(v)) } else { UTF8.encode(scalar) { out.append($0) } }
                continue
            }
            out.append(92)
            switch v {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(92)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(UInt8(ascii: "u"))
                out.append(contentsOf: NumberText.zeroPadded(v, to: 4, radix: 16).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether a UTF-8 byte may begin a scalar `string(_:into:)` escapes: C0 controls, quote, backslash, DEL; 0xC2 (C1
    /// controls), 0xD8 (U+061C), 0xE2 (the bidi controls and line separators of U+20xx); and every four-byte lead, so text
    /// beyond the Basic Multilingual Plane always takes the careful path. Comparisons rather than a table: a global
    /// table is reached through its lazy initialiser on every call (each value and key of every row), and the rule is
    /// written out rather than derived at start-up (65,536 scalars); a test derives it from the rule and compares.
    @inline(__always)
    static func mayBeginEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte >= 0xF0
    }

    /// The same table derived from the escape rule over the whole plane.
    static func derivedMayBeginEscape() -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for v in UInt32(0)..<0x10000 {
            guard let scalar = Unicode.Scalar(v),
                  v < 0x20 || v == 0x22 || v == 0x5C || SafeText.isForbidden(scalar) || SafeText.isLineSeparator(v)
            else { continue }
            var lead = true
            UTF8.encode(scalar) { byte in
                if lead { table[Int(byte)] = true }
                lead = false
            }
        }
        for byte in 0xF0...0xFF { table[byte] = true }
        return table
    }

    /// An Encoder for one value: whatever container it is asked for becomes its node. A struct, so encoding a nested
    /// value allocates nothing of its own.
    struct TreeEncoder: Encoder {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        let scalars: Scalars
        /// A super-encoder's place in its container; nil for the value `node(for:)` is encoding (`scalars.current`).
        let slot: NodeSlot?

        var node: Node? {
            get {
                if let slot { return slot.node }
                return scalars.current
            }
            nonmutating set { if let slot { slot.node = newValue } else { scalars.current = newValue } }
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case let .object(box)? = node { return KeyedEncodingContainer(Keyed<Key>(box: box, scalars: scalars, codingPath: codingPath)) }
            let box = ObjectBox(capacity: scalars.lastObjectSize)
            node = .object(box)
            return KeyedEncodingContainer(Keyed<Key>(box: box, scalars: scalars, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case let .array(box)? = node { return Unkeyed(box: box, scalars: scalars, codingPath: codingPath) }
            let box = ArrayBox()
            node = .array(box)
            return Unkeyed(box: box, scalars: scalars, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }
    }

    /// Encodes a nested value (complete when `encode(to:)` returns; its containers are boxes filled in place). The
    /// enclosing value's node is set aside meanwhile and put back.
    static func node<T: Encodable>(for value: T, scalars: Scalars, codingPath: [any CodingKey]) throws -> Node {
        let enclosing = scalars.current
        scalars.current = nil
        defer { scalars.current = enclosing }
        try value.encode(to: TreeEncoder(codingPath: codingPath, scalars: scalars, slot: nil))
        guard let node = scalars.current else { return .object(ObjectBox()) }  // encoded nothing: JSONEncoder writes {}
        if case let .object(box) = node { scalars.lastObjectSize = box.entries.count }
        return node
    }

    /// The node of an `@Null` scalar field, which reaches the container through the generic `encode` (the wrapper is
    /// generic): recognised by comparing its type (a pointer comparison per case, not a cast) and written without the
    /// nested encoder and container its own `encode(to:)` makes — a tenth of `overdue --json`, whose rows have four.
    /// The bytes are those `Null.encode(to:)` gives: `null`, or the scalar.
    static func nullableScalar<T>(_ value: T, scalars: Scalars) throws -> Node? {
        // Each type spelled out: through a generic helper every comparison looked the wrapper's metadata up at run time.
        if T.self == Null<String>.self { return unsafeBitCast(value, to: Null<String>.self).wrappedValue.map(scalars.text) ?? scalars.null }
        if T.self == Null<Int>.self { return unsafeBitCast(value, to: Null<Int>.self).wrappedValue.map { scalars.integer($0) } ?? scalars.null }
        if T.self == Null<Int64>.self { return unsafeBitCast(value, to: Null<Int64>.self).wrappedValue.map { scalars.integer($0) } ?? scalars.null }
        if T.self == Null<Double>.self {
            return try unsafeBitCast(value, to: Null<Double>.self).wrappedValue.map { try scalars.number($0) } ?? scalars.null
        }
        if T.self == Null<Bool>.self { return unsafeBitCast(value, to: Null<Bool>.self).wrappedValue.map(scalars.flag) ?? scalars.null }
        return nil
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        let scalars: Scalars
        let codingPath: [any CodingKey]

        private func put(_ node: Node, _ key: Key) { box.entries.append((key.stringValue, node)) }
        mutating func encodeNil(forKey key: Key) throws { put(scalars.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(scalars.flag(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(scalars.text(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(try scalars.number(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(try scalars.number(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(scalars.integer(value), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            put(try nullableScalar(value, scalars: scalars) ?? node(for: value, scalars: scalars, codingPath: codingPath), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            put(.object(nested), key)
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, scalars: scalars, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            put(.array(nested), key)
            return Unkeyed(box: nested, scalars: scalars, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }
        private func superEncoder(named name: String) -> any Encoder {
            let slot = NodeSlot()
            box.entries.append((name, .pending(slot)))
            return TreeEncoder(codingPath: codingPath, scalars: scalars, slot: slot)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: ArrayBox
        let scalars: Scalars
        let codingPath: [any CodingKey]
        var count: Int { box.items.count }

        private func put(_ node: Node) { box.items.append(node) }
        mutating func encodeNil() throws { put(scalars.null) }
        mutating func encode(_ value: Bool) throws { put(scalars.flag(value)) }
        mutating func encode(_ value: String) throws { put(scalars.text(value)) }
        mutating func encode(_ value: Double) throws { put(try scalars.number(value)) }
        mutating func encode(_ value: Float) throws { put(try scalars.number(value)) }
        mutating func encode(_ value: Int) throws { put(scalars.integer(value)) }
        mutating func encode(_ value: Int64) throws { put(scalars.integer(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { put(try node(for: value, scalars: scalars, codingPath: codingPath)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            put(.object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, scalars: scalars, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            put(.array(nested))
            return Unkeyed(box: nested, scalars: scalars, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            let slot = NodeSlot()
            box.items.append(.pending(slot))
            return TreeEncoder(codingPath: codingPath, scalars: scalars, slot: slot)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: TreeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        private var scalars: Scalars { encoder.scalars }

        mutating func encodeNil() throws { encoder.node = scalars.null }
        mutating func encode(_ value: Bool) throws { encoder.node = scalars.flag(value) }
        mutating func encode(_ value: String) throws { encoder.node = scalars.text(value) }
        mutating func encode(_ value: Double) throws { encoder.node = try scalars.number(value) }
        mutating func encode(_ value: Float) throws { encoder.node = try scalars.number(value) }
        mutating func encode(_ value: Int) throws { encoder.node = scalars.integer(value) }
        mutating func encode(_ value: Int64) throws { encoder.node = scalars.integer(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: encoder) }
    }
}
