import CNcurses
import DubanTUI
import Foundation

/// The only code that talks to curses: frames in, keys out. Each frame is copied into curses' screen
/// row by row (only rows that changed since the last frame), and curses sends the differences: no
/// full-screen clear per frame.
final class CursesTerminal {
    private var previous: Grid?
    private var pairs: [Int: Int16] = [:]
    private let useColor: Bool
    private(set) var width = 80
    private(set) var height = 24
    /// The terminal went away (SSH dropped) or a stop signal came: time to leave.
    var shouldStop: Bool { hungUp || duban_stop_requested() != 0 }
    private var hungUp = false
    private var utf8 = UTF8Stream()
    private var decoder = KeyDecoder()
    private var input = [UInt8](repeating: 0, count: 4096)
    private var pending: [Event] = []

    /// Chooses a UTF-8 locale before curses starts; without one, Chinese would come out as escapes.
    /// Returns a message for the clerk when no UTF-8 locale exists.
    static func prepareLocale() -> String? {
        setlocale(LC_ALL, "")
        if isUTF8() { return nil }
        for candidate in ["C.UTF-8", "C.utf8", "zh_CN.UTF-8", "en_US.UTF-8"] where setlocale(LC_ALL, candidate) != nil {
            if isUTF8() { return nil }
        }
        return "终端的字符编码不是 UTF-8，中文无法正确显示：请在 SSH 客户端中把编码设为 UTF-8，并设置 export LANG=zh_CN.UTF-8（或 C.UTF-8）后重试"
    }

    private static func isUTF8() -> Bool {
        guard let codeset = duban_codeset() else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    init(color: Bool) {
        duban_install_resize_signal()
        initscr()
        raw()
        noecho()
        nonl()
        keypad(duban_stdscr(), false)
        intrflush(duban_stdscr(), false)
        // Curses would cut a screen update short whenever input is waiting (and never reads that input itself here).
        typeahead(-1)
        useColor = color && has_colors()
        if useColor {
            start_color()
            use_default_colors()
        }
        curs_set(0)
        setTerminalModes(on: true)
        duban_install_stop_signals()
        width = Int(duban_cols())
        height = Int(duban_lines())
    }

    func stop() {
        setTerminalModes(on: false)
        endwin()
    }

    /// Waits up to `milliseconds` for input; nil on timeout. The terminal's bytes are read here and decoded by
    /// `UTF8Stream` and `KeyDecoder`, not by curses: its keypad mode knows only the sequences terminfo lists for $TERM,
    /// and its get_wch loses a character split between two reads together with everything after it.
    func read(timeout milliseconds: Int32) -> Event? {
        if !pending.isEmpty { return pending.removeFirst() }
        var wait = milliseconds
        while pending.isEmpty {
            if duban_take_resize() != 0, let resized = resize() { return resized }
            switch duban_wait_input(decoder.isPending ? Self.escapeDelay : wait) {
            case -1:
                hungUp = true
                return nil
            case 0:
                if shouldStop { return nil }
                if duban_take_resize() != 0, let resized = resize() { return resized }
                // Nothing more: a lone ESC was the Escape key, a broken sequence is dropped, a paste waits on.
                guard decoder.isPending else { return nil }
                pending += decoder.tick()
            default:
                let count = input.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard count > 0 else {
                    hungUp = true  // end of input: the terminal is gone
                    return nil
                }
                wait = 0
                for scalar in utf8.decode(input[..<count]) { pending += decoder.feed(scalar) }
            }
        }
        return pending.removeFirst()
    }

    /// Takes the terminal's new size into curses and has the next frame drawn whole (the terminal may have reflowed
    /// what was on it).
    private func resize() -> Event? {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard duban_terminal_size(&rows, &columns) == 0 else { return nil }
        resizeterm(rows, columns)
        clearok(duban_curscr(), true)
        width = Int(duban_cols())
        height = Int(duban_lines())
        previous = nil
        return .resize(width: width, height: height)
    }

    /// How long the rest of an escape sequence may take to arrive (ms): over SSH it comes in the same packet.
    static let escapeDelay: Int32 = 25

    /// Mouse clicks and the wheel (SGR reports, which every current terminal sends), and bracketed paste: switched on
    /// here rather than through terminfo, which many $TERM entries lack. Written straight to the terminal, checked.
    private func setTerminalModes(on: Bool) {
        let sequence = on ? "\u{1B}[?1000h\u{1B}[?1006h\u{1B}[?2004h" : "\u{1B}[?2004l\u{1B}[?1006l\u{1B}[?1000l"
        if duban_stdout_failed() != 0 { hungUp = true }  // curses' own buffered output goes first
        let bytes = Array(sequence.utf8)
        let written = bytes.withUnsafeBufferPointer { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if written != bytes.count { hungUp = true }
    }

    func draw(_ frame: Frame) {
        let grid = frame.grid
        let sameSize = previous.map { $0.width == grid.width && $0.height == grid.height } ?? false
        if !sameSize { erase() }
        for y in 0..<grid.height {
            if sameSize, let previous, rowsEqual(previous, grid, y) { continue }
            drawRow(grid, y)
        }
        previous = grid
        if let cursor = frame.cursor {
            move(Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        refresh()
    }

    private func rowsEqual(_ a: Grid, _ b: Grid, _ y: Int) -> Bool {
        for x in 0..<a.width where a[x, y] != b[x, y] { return false }
        return true
    }

    /// Writes a row as runs of equally styled characters.
    private func drawRow(_ grid: Grid, _ y: Int) {
        var x = 0
        while x < grid.width {
            let style = grid[x, y].style
            let start = x
            var buffer: [wchar_t] = []
            while x < grid.width, grid[x, y].style == style {
                let cell = grid[x, y]
                if !cell.isContinuation {
                    for scalar in cell.text.unicodeScalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                }
                x += 1
            }
            // The bottom-right cell would scroll the screen on some terminals: leave it.
            var count = buffer.count
            if y == grid.height - 1 && x == grid.width && count > 0 { count -= 1 }
            buffer.withUnsafeBufferPointer { pointer in
                _ = duban_put(Int32(y), Int32(start), pointer.baseAddress, Int32(count), attributes(style), pair(style))
            }
        }
    }

    private func attributes(_ style: Style) -> attr_t {
        var a = duban_a_normal()
        if style.bold { a |= duban_a_bold() }
        if style.reverse { a |= duban_a_reverse() }
        if style.dim { a |= duban_a_dim() }
        if style.underline { a |= duban_a_underline() }
        return a
    }

    private func pair(_ style: Style) -> Int16 {
        guard useColor, style.foreground != .default || style.background != .default else { return 0 }
        let key = Int(style.foreground.rawValue) * 16 + Int(style.background.rawValue)
        if let known = pairs[key] { return known }
        let number = Int16(pairs.count + 1)
        func curses(_ c: DubanTUI.Color) -> Int16 { c == .default ? -1 : Int16(c.rawValue) - 1 }
        init_pair(number, curses(style.foreground), curses(style.background))
        pairs[key] = number
        return number
    }
}
