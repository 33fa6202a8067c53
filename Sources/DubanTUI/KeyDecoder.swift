/// Turns what a terminal sends into keys, mouse clicks and pastes, by the sequences themselves rather than by what
/// the terminfo entry for $TERM claims: PuTTY, tmux, screen, xterm, VTE, the Linux console and Windows Terminal send
/// different bytes for the same key, and an office's PuTTY often runs with TERM=xterm while sending `ESC[1~` for Home.
///
/// The grammar is ECMA-48's: `ESC [` parameters (0x30–0x3F), intermediates (0x20–0x2F), one final byte (0x40–0x7E);
/// `ESC O` and one byte; `ESC ]`/`ESC P`/`ESC _`/`ESC ^` strings up to BEL or `ESC \`. A sequence that is well formed but
/// means nothing here is dropped whole, so its tail is never typed into a field or taken as a command.
public struct KeyDecoder: Sendable {
    private enum State: Sendable, Equatable {
        case ground
        /// After ESC; `doubled`: after ESC ESC (Alt with an arrow on some terminals).
        case escape(doubled: Bool)
        case csi(String)
        /// `ESC [ [` on the Linux console: F1–F5 follow as A–E.
        case linuxFunction
        case ss3
        /// A control string (OSC, DCS, APC, PM), dropped up to its terminator; `sawEscape`: the ESC of `ESC \` came.
        case controlString(sawEscape: Bool)
        /// X10 mouse report (`ESC [ M` and three bytes).
        case x10Mouse([UInt32])
        case paste
    }

    private var state = State.ground
    private var pasted: [Unicode.Scalar] = []
    private var pastedCount = 0
    private var idleTicks = 0

    /// The most a paste keeps; the rest is counted (so the field can name the size) but not held.
    public static let pasteLimit = 100_000
    /// Idle ticks (see `tick()`, 25 ms each) after which an unterminated paste is delivered as it is: 5 s, because a
    /// stalled link or a busy terminal multiplexer delivers a long paste in pieces seconds apart, and a paste cut in two
    /// would send its second half as keystrokes (slowly, and with any Enter in it acting as Enter).
    static let pasteIdleTicks = 200
    static let pasteEnd: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]
    /// Idle ticks after which a begun sequence (`ESC [` and more) is given up: 500 ms. Only a lone ESC must be decided
    /// at once (it is the Escape key); a sequence already under way is a terminal talking, and its rest may be one slow
    /// packet behind — given up early, its tail (`0~` of a paste marker, `A` of an arrow) would be typed as keys.
    static let sequenceIdleTicks = 20

    public init() {}

    /// A sequence has begun and not ended: the caller should wait a moment for the rest before calling `tick()`.
    public var isPending: Bool { state != .ground }

    /// Feeds one character as the terminal's UTF-8 decoded to; returns what it completed.
    public mutating func feed(_ scalar: Unicode.Scalar) -> [Event] {
        idleTicks = 0
        let value = scalar.value
        switch state {
        case .ground:
            return ground(scalar)
        case let .escape(doubled):
            switch value {
            case 0x5B: state = .csi(""); return []
            case 0x4F: state = .ss3; return []
            case 0x5D, 0x50, 0x5F, 0x5E: state = .controlString(sawEscape: false); return []
            case 0x1B:
                if doubled { state = .escape(doubled: true); return [.key(.escape)] }
                state = .escape(doubled: true)
                return []
            default:
                state = .ground
                // Alt with a key: ESC and the key's own byte. Nothing here answers to Alt, so none of these is typed.
                if value >= 0x20 && value != 0x7F, let character = Unicode.Scalar(value).map(Character.init) {
                    return [.key(.alt(character))]
                }
                return doubled ? [.key(.escape)] : []
            }
        case let .csi(parameters):
            switch value {
            case 0x5B where parameters.isEmpty:
                state = .linuxFunction
                return []
            case 0x4D where parameters.isEmpty:
                state = .x10Mouse([])
                return []
            case 0x20...0x3F:
                // Parameters and intermediates; a runaway sequence is given up rather than held for ever.
                if parameters.count > 64 { state = .ground; return [] }
                state = .csi(parameters + String(Character(scalar)))
                return []
            case 0x40...0x7E:
                state = .ground
                return Self.csi(parameters, final: Character(scalar), decoder: &self)
            case 0x1B:
                state = .escape(doubled: false)
                return []
            default:
                // A control character inside a sequence: the sequence is broken; drop it.
                state = .ground
                return []
            }
        case .linuxFunction:
            state = .ground
            if (0x41...0x45).contains(value) { return [.key(.function(Int(value) - 0x40))] }
            return []
        case .ss3:
            state = .ground
            return Self.ss3(Character(scalar)).map { [.key($0)] } ?? []
        case let .controlString(sawEscape):
            if value == 0x07 || (sawEscape && value == 0x5C) { state = .ground; return [] }
            state = .controlString(sawEscape: value == 0x1B)
            return []
        case var .x10Mouse(bytes):
            bytes.append(value)
            guard bytes.count == 3 else { state = .x10Mouse(bytes); return [] }
            state = .ground
            guard bytes.allSatisfy({ $0 >= 32 }) else { return [] }
            return Self.mouse(button: Int(bytes[0]) - 32, x: Int(bytes[1]) - 33, y: Int(bytes[2]) - 33, pressed: true)
        case .paste:
            pastedCount += 1
            if pasted.count < Self.pasteLimit + Self.pasteEnd.count { pasted.append(scalar) }
            if pasted.count >= Self.pasteEnd.count, Array(pasted.suffix(Self.pasteEnd.count)) == Self.pasteEnd {
                pasted.removeLast(Self.pasteEnd.count)
                pastedCount -= Self.pasteEnd.count
                return finishPaste()
            }
            return []
        }
    }

    /// Called when nothing arrived for a short while (the escape delay). A lone ESC was the Escape key; an unfinished
    /// sequence waits a little and is then dropped; a paste waits for its end marker longer (a slow link delivers it in
    /// pieces).
    public mutating func tick() -> [Event] {
        switch state {
        case .ground:
            return []
        case let .escape(doubled):
            state = .ground
            return doubled ? [.key(.escape), .key(.escape)] : [.key(.escape)]
        case .paste:
            idleTicks += 1
            return idleTicks >= Self.pasteIdleTicks ? finishPaste() : []
        default:
            idleTicks += 1
            if idleTicks >= Self.sequenceIdleTicks { state = .ground }
            return []
        }
    }

    private mutating func ground(_ scalar: Unicode.Scalar) -> [Event] {
        switch scalar.value {
        case 0x1B:
            state = .escape(doubled: false)
            return []
        case 0x9B:
            state = .csi("")
            return []
        case 0x8F:
            state = .ss3
            return []
        case 0x80...0x9F:
            return []
        default:
            return Self.plainKey(scalar.value).map { [.key($0)] } ?? []
        }
    }

    private mutating func finishPaste() -> [Event] {
        let text = String(String.UnicodeScalarView(pasted.prefix(Self.pasteLimit)))
        let count = pastedCount
        pasted = []
        pastedCount = 0
        state = .ground
        return [.paste(text, length: count)]
    }

    /// A key sent as itself: printable characters and the C0 controls that are keys.
    public static func plainKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return nil
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// `ESC [` parameters final. Modifiers (`;2` Shift, `;5` Ctrl …) are accepted and do not change the key.
    private static func csi(_ parameters: String, final: Character, decoder: inout KeyDecoder) -> [Event] {
        if parameters.hasPrefix("<"), final == "M" || final == "m" {
            let fields = parameters.dropFirst().split(separator: ";").compactMap { Int($0) }
            guard fields.count == 3 else { return [] }
            return mouse(button: fields[0], x: fields[1] - 1, y: fields[2] - 1, pressed: final == "M")
        }
        // Private parameters (`?`, `>`, `=`) and intermediates mark replies and reports, not keys.
        guard parameters.allSatisfy({ $0.isNumber || $0 == ";" }) else { return [] }
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        let first = numbers.first ?? 0
        let key: Key?
        switch final {
        case "A": key = .up
        case "B": key = .down
        case "C": key = .right
        case "D": key = .left
        case "H": key = .home
        case "F": key = .end
        case "Z": key = .backTab
        case "P", "Q", "R", "S":
            // F1–F4 (`CSI 1;2P` with a modifier). A bare `CSI R` with a row is a cursor report: never asked for, dropped.
            key = numbers.count >= 2 && first != 1 ? nil : .function(Int(final.asciiValue! - Character("P").asciiValue!) + 1)
        case "~":
            switch first {
            case 1, 7: key = .home
            case 2: key = .insert
            case 3: key = .delete
            case 4, 8: key = .end
            case 5: key = .pageUp
            case 6: key = .pageDown
            case 11...15: key = .function(first - 10)
            case 17...21: key = .function(first - 11)
            case 23, 24: key = .function(first - 12)
            case 200:
                decoder.state = .paste
                key = nil
            case 27 where numbers.count >= 3:
                // xterm's modifyOtherKeys: 27;modifier;code~.
                key = modifiedCharacter(code: numbers[2], modifier: numbers[1])
            default: key = nil
            }
        case "u" where !numbers.isEmpty:
            // The "CSI u" (fixterms / kitty) form: code;modifier u.
            key = modifiedCharacter(code: first, modifier: numbers.count >= 2 ? numbers[1] : 1)
        default:
            key = nil
        }
        return key.map { [.key($0)] } ?? []
    }

    /// A character with modifiers (1 + Shift 1, Alt 2, Ctrl 4): Ctrl with a letter is that control key, Alt anything is
    /// Alt (answered by nothing), otherwise the character itself.
    private static func modifiedCharacter(code: Int, modifier: Int) -> Key? {
        guard code > 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
        let bits = max(0, modifier - 1)
        if bits & 2 != 0 { return .alt(Character(scalar)) }
        if bits & 4 != 0 {
            let lower = Character(scalar).lowercased()
            if let letter = lower.unicodeScalars.first, lower.count == 1, ("a"..."z").contains(letter) { return .control(Character(letter)) }
            return nil
        }
        return plainKey(UInt32(code))
    }

    /// `ESC O` and one character: application-mode cursor keys, F1–F4, and the keypad.
    private static func ss3(_ final: Character) -> Key? {
        switch final {
        case "A": .up
        case "B": .down
        case "C": .right
        case "D": .left
        case "H": .home
        case "F": .end
        case "P": .function(1)
        case "Q": .function(2)
        case "R": .function(3)
        case "S": .function(4)
        case "M": .enter
        case "p"..."y": .character(Character(Unicode.Scalar(final.asciiValue! - Character("p").asciiValue! + 0x30)))
        case "k": .character("+")
        case "m": .character("-")
        case "j": .character("*")
        case "o": .character("/")
        case "n": .character(".")
        case "l": .character(",")
        default: nil
        }
    }

    /// Button 0 is the left button; 64 and 65 the wheel. Motion (32) and releases are not clicks.
    private static func mouse(button: Int, x: Int, y: Int, pressed: Bool) -> [Event] {
        guard pressed, x >= 0, y >= 0, button & 32 == 0 else { return [] }
        switch button & ~(4 | 8 | 16) {
        case 0: return [.mouse(x: x, y: y, button: .left)]
        case 64: return [.mouse(x: x, y: y, button: .wheelUp)]
        case 65: return [.mouse(x: x, y: y, button: .wheelDown)]
        default: return []
        }
    }
}
