import Foundation
import Testing
import DubanCore

/// Digests stored before (the audit chain) were written with `%02x`: the same text, byte for byte.
@Test func hexIsWhatPrintfWrote() {
    let every = (0...255).map(UInt8.init)
    #expect(Hex.lowercase(every) == every.map { String(format: "%02x", $0) }.joined())
    #expect(Hex.lowercase([UInt8]()) == "")
    #expect(Hex.lowercase([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
}
