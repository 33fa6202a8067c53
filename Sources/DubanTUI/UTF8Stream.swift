/// Decodes the terminal's bytes as they arrive. A read can end in the middle of a character — a paste split across SSH
/// packets, a slow link, a multiplexer passing input on in pieces — so an incomplete character at the end of one read is
/// held for the next instead of being lost (and taking the rest of the input with it). Bytes that can never be UTF-8
/// become U+FFFD, one per broken sequence, and the text after them is kept.
public struct UTF8Stream: Sendable {
    private var held: [UInt8] = []

    public init() {}

    /// Part of a character is waiting for its remaining bytes.
    public var isHolding: Bool { !held.isEmpty }

    public mutating func decode(_ bytes: some Collection<UInt8>) -> [Unicode.Scalar] {
        var input = held
        input.append(contentsOf: bytes)
        held = []
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(input.count)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = input.makeIterator()
        var consumed = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                consumed += encoded.count
            case let .error(length):
                if Self.isIncomplete(input[consumed...]) {
                    held = Array(input[consumed...])
                    return scalars
                }
                scalars.append("\u{FFFD}")
                consumed += length
            case .emptyInput:
                return scalars
            }
        }
    }

    /// The bytes begin a well-formed character that needs more bytes than these (RFC 3629's table of lead and second
    /// bytes): waiting can still complete it. Anything else is broken already.
    static func isIncomplete(_ tail: ArraySlice<UInt8>) -> Bool {
        guard let lead = tail.first else { return false }
        let needed: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0: needed = 3; second = 0xA0...0xBF
        case 0xED: needed = 3; second = 0x80...0x9F
        case 0xE1...0xEF: needed = 3
        case 0xF0: needed = 4; second = 0x90...0xBF
        case 0xF4: needed = 4; second = 0x80...0x8F
        case 0xF1...0xF3: needed = 4
        default: return false
        }
        guard tail.count < needed else { return false }
        for (offset, byte) in tail.dropFirst().enumerated() {
            guard (offset == 0 ? second : 0x80...0xBF).contains(byte) else { return false }
        }
        return true
    }
}
