@testable import DubanTUI
import Testing

/// The terminal's bytes cut at every possible point: a read may end anywhere, inside a character included.
@Suite struct UTF8StreamDecoding {
    static let text = "ab政务公开c\u{1B}[200~长\u{1F600}é\u{1B}[201~z"

    @Test func everySplitOfTheInputDecodesToTheSameText() {
        let bytes = Array(Self.text.utf8)
        for cut in 0...bytes.count {
            var stream = UTF8Stream()
            let scalars = stream.decode(bytes[..<cut]) + stream.decode(bytes[cut...])
            #expect(String(String.UnicodeScalarView(scalars)) == Self.text, "cut at byte \(cut)")
            #expect(!stream.isHolding)
        }
    }

    @Test func byteByByteToo() {
        var stream = UTF8Stream()
        var scalars: [Unicode.Scalar] = []
        for byte in Self.text.utf8 { scalars += stream.decode([byte]) }
        #expect(String(String.UnicodeScalarView(scalars)) == Self.text)
    }

    @Test func anIncompleteCharacterIsHeldNotLostNorReplaced() {
        var stream = UTF8Stream()
        let bytes = Array("政".utf8)
        #expect(stream.decode([0x61] + bytes[..<2]) == ["a"])
        #expect(stream.isHolding)
        #expect(stream.decode(bytes[2...] + [0x62]) == ["政", "b"])
    }

    /// Bytes that can never become UTF-8 are one U+FFFD each; what follows them is kept.
    @Test(arguments: [
        ([0xFF, 0x61], "\u{FFFD}a"),
        ([0xE6, 0x41, 0x42], "\u{FFFD}AB"),                 // a lead byte broken off by ASCII
        ([0xC0, 0xAF, 0x61], "\u{FFFD}\u{FFFD}a"),          // an overlong slash
        ([0xED, 0xA0, 0x80, 0x61], "\u{FFFD}\u{FFFD}\u{FFFD}a"), // a UTF-16 surrogate
        ([0x80, 0x9B, 0x61], "\u{FFFD}\u{FFFD}a"),          // stray continuation bytes (a raw C1 CSI is not UTF-8)
    ] as [([UInt8], String)])
    func brokenBytesBecomeReplacementCharacters(bytes: [UInt8], expected: String) {
        var stream = UTF8Stream()
        let scalars = stream.decode(bytes)
        #expect(String(String.UnicodeScalarView(scalars)) == expected)
        #expect(!stream.isHolding)
    }

    @Test func aBrokenSequenceIsNotHeldEvenAtTheEnd() {
        #expect(!UTF8Stream.isIncomplete([0xE0, 0x80]))   // E0 needs A0–BF next
        #expect(!UTF8Stream.isIncomplete([0xF4, 0x90]))   // beyond U+10FFFF
        #expect(UTF8Stream.isIncomplete([0xF0, 0x9F, 0x98]))
        #expect(!UTF8Stream.isIncomplete([0xE6, 0x94, 0xBF]))  // complete: nothing to wait for
    }
}
