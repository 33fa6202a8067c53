import DubanCore
@testable import DubanTUI
import Testing

/// What real terminals send, byte for byte (from their documentation and from capturing each with `cat -v`), and the
/// key duban must hear — whatever $TERM says. Sources: PuTTY's "Home and End keys" / "Function keys and keypad"
/// settings (ESC[1~ ESC[4~ by default; ESC[11~ F1 "ESC[n~" mode; Linux console mode ESC[[A; SCO mode), xterm's
/// ctlseqs (CSI 1;5A modifiers, SS3 application cursor keys and keypad, modifyOtherKeys 27;m;c~), rxvt (ESC[7~ ESC[8~),
/// tmux and screen (ESC[1~ ESC[4~), kitty / fixterms (CSI code;mod u).
private let esc = "\u{1B}"

@Suite struct KeyDecoding {
    static func decode(_ text: String, thenIdle: Bool = true) -> [Event] {
        var decoder = KeyDecoder()
        var events: [Event] = []
        for scalar in text.unicodeScalars { events += decoder.feed(scalar) }
        if thenIdle { for _ in 0..<KeyDecoder.pasteIdleTicks { events += decoder.tick() } }
        return events
    }

    static func keys(_ text: String) -> [Key] { keysOf(decode(text)) }

    static func keysOf(_ events: [Event]) -> [Key] {
        events.compactMap { if case let .key(key) = $0 { key } else { nil } }
    }



    @Test(arguments: [
        // Home and End, every common way.
        ("\(esc)[1~", Key.home), ("\(esc)[4~", .end), ("\(esc)[H", .home), ("\(esc)[F", .end), ("\(esc)OH", .home), ("\(esc)OF", .end),
        ("\(esc)[7~", .home), ("\(esc)[8~", .end), ("\(esc)[1;5H", .home), ("\(esc)[1;2F", .end),
        // Page keys, insert, delete.
        ("\(esc)[5~", .pageUp), ("\(esc)[6~", .pageDown), ("\(esc)[2~", .insert), ("\(esc)[3~", .delete), ("\(esc)[3;5~", .delete),
        // Arrows: normal, application mode, with Shift / Ctrl / Alt.
        ("\(esc)[A", .up), ("\(esc)[B", .down), ("\(esc)[C", .right), ("\(esc)[D", .left),
        ("\(esc)OA", .up), ("\(esc)OD", .left), ("\(esc)[1;2A", .up), ("\(esc)[1;5C", .right), ("\(esc)[1;3D", .left),
        ("\(esc)[Z", .backTab),
        // F1–F12: VT100 SS3, xterm with modifiers, the PuTTY/rxvt "ESC[n~" forms, the Linux console.
        ("\(esc)OP", .function(1)), ("\(esc)OS", .function(4)), ("\(esc)[1;2P", .function(1)), ("\(esc)[11~", .function(1)),
        ("\(esc)[15~", .function(5)), ("\(esc)[17~", .function(6)), ("\(esc)[21~", .function(10)), ("\(esc)[23~", .function(11)),
        ("\(esc)[24~", .function(12)), ("\(esc)[24;5~", .function(12)), ("\(esc)[[A", .function(1)), ("\(esc)[[E", .function(5)),
        // Keypad in application mode.
        ("\(esc)OM", .enter), ("\(esc)Oq", .character("1")), ("\(esc)Ok", .character("+")),
        // Alt with a key, in the three ways terminals say it.
        ("\(esc)x", .alt("x")), ("\(esc)[27;3;120~", .alt("x")), ("\(esc)[120;3u", .alt("x")),
        ("\(esc)[115;5u", .control("s")), ("\(esc)[27;5;115~", .control("s")),
        // Plain keys.
        ("\r", .enter), ("\n", .enter), ("\u{7F}", .backspace), ("\u{08}", .backspace), ("\t", .tab), ("\u{13}", .control("s")),
        ("中", .character("中")), (esc, .escape), ("\u{9B}1~", .home),
    ])
    func aSequenceIsOneKey(sequence: String, key: Key) {
        #expect(Self.keys(sequence) == [key], "\(sequence.debugDescription)")
    }

    /// Sequences that mean nothing here vanish whole: nothing of them is typed, nothing taken as a command.
    @Test(arguments: [
        "\(esc)[99~", "\(esc)[?1;2c", "\(esc)[>0;95;0c", "\(esc)]11;rgb:0000/0000/0000\u{07}", "\(esc)]52;c;aGk=\(esc)\\",
        "\(esc)P1$r0m\(esc)\\", "\(esc)[I", "\(esc)[O", "\(esc)[12;40R", "\(esc)[31m", "\(esc)[1;2;3;4;5;6;7;8;9x", "\(esc)O~",
        "\u{9B}99~", "\u{85}", "\(esc)[201~",
    ])
    func anUnknownSequenceIsDroppedWhole(sequence: String) {
        #expect(Self.decode(sequence).isEmpty, "\(sequence.debugDescription) → \(Self.decode(sequence))")
    }

    @Test func keysAroundASequenceAreKept() {
        #expect(Self.keys("a\(esc)[1~b\(esc)[99~c\(esc)[4~") == [.character("a"), .home, .character("b"), .character("c"), .end])
        // ESC ESC [ A: Alt-Up on some terminals; an arrow, not an Escape that would close the form.
        #expect(Self.keys("\(esc)\(esc)[A") == [.up])
        #expect(Self.keys("\(esc)\(esc)") == [.escape, .escape])
    }

    @Test func mouseReportsBothEncodings() {
        let sgr = Self.decode("\(esc)[<0;10;5M\(esc)[<0;10;5m\(esc)[<64;3;4M\(esc)[<65;3;4M\(esc)[<32;3;4M")
        #expect(sgr.count == 3)
        if case let .mouse(x, y, button) = sgr.first { #expect(x == 9 && y == 4 && button == .left) } else { Issue.record("\(sgr)") }
        let x10 = Self.decode("\(esc)[M \u{2A}\u{25}")
        if case let .mouse(x, y, button) = x10.first { #expect(x == 9 && y == 4 && button == .left) } else { Issue.record("\(x10)") }
    }

    @Test func aBracketedPasteIsOneEventWithTheTextAsSent() {
        let text = String(repeating: "政务公开", count: 500)
        let events = Self.decode("\(esc)[200~\(text)\(esc)[201~q", thenIdle: false)
        #expect(events.count == 2)
        if case let .paste(pasted, length) = events.first { #expect(pasted == text && length == 2000) } else { Issue.record("\(events)") }
        #expect(events.last.map { if case .key(.character("q")) = $0 { true } else { false } } == true)
    }

    /// A paste whose end marker never comes (a dropped packet) is delivered after a pause, not held for ever.
    @Test func anUnterminatedPasteIsDeliveredAfterAPause() {
        var decoder = KeyDecoder()
        for scalar in "\(esc)[200~abc".unicodeScalars { _ = decoder.feed(scalar) }
        var events: [Event] = []
        for _ in 0..<(KeyDecoder.pasteIdleTicks - 1) { events += decoder.tick() }
        #expect(events.isEmpty && decoder.isPending)
        events += decoder.tick()
        if case let .paste(text, _) = events.first { #expect(text == "abc") } else { Issue.record("\(events)") }
    }

    /// A sequence cut between two reads with a pause (a slow link) is still one key or one paste; only a lone ESC is
    /// decided at the first pause, and a sequence whose rest never comes is dropped after a while, not held.
    @Test func aSequenceWaitsForItsRestLongerThanALoneEscape() {
        var decoder = KeyDecoder()
        var events: [Event] = []
        for scalar in "\(esc)[20".unicodeScalars { events += decoder.feed(scalar) }
        for _ in 0..<(KeyDecoder.sequenceIdleTicks - 1) { events += decoder.tick() }
        for scalar in "0~x长\(esc)[201~".unicodeScalars { events += decoder.feed(scalar) }
        #expect(events.count == 1)
        if case let .paste(text, _) = events.first { #expect(text == "x长") } else { Issue.record("\(events)") }

        var abandoned = KeyDecoder()
        for scalar in "\(esc)[1".unicodeScalars { _ = abandoned.feed(scalar) }
        for _ in 0..<KeyDecoder.sequenceIdleTicks { #expect(abandoned.tick().isEmpty) }
        #expect(!abandoned.isPending)
        #expect(Self.keysOf(abandoned.feed("~")) == [.character("~")])

        var escape = KeyDecoder()
        _ = escape.feed("\u{1B}")
        #expect(Self.keysOf(escape.tick()) == [.escape])
    }

    @Test func pastedTextLosesControlSequencesWhole() {
        #expect(TextField.cleaned("红\(esc)[31m色\(esc)[0m\r\n第二行\t末\u{7}\(esc)]0;title\u{7}尾") == "红色 第二行 末尾")
        var field = TextField("ab", limit: 10)
        _ = field.handle(.left)
        #expect(field.paste("12345678", length: 8) == nil)
        #expect(field.text == "a12345678b")
        let refused = field.paste("x", length: 1)
        #expect(refused?.contains("最多 10 字") == true && field.text == "a12345678b")
    }

    @Test func aLongFieldScrollsInLinearTime() {
        var field = TextField("", limit: 2000)
        _ = field.paste(String(repeating: "督", count: 2000), length: 2000)
        let (shown, column) = field.visible(width: 40, measure: DisplayWidth())
        #expect(shown.count == 19 && column == 38)
    }
}
