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
        initscr()
        raw()
        noecho()
        nonl()
        keypad(duban_stdscr(), true)
        set_escdelay(25)
        intrflush(duban_stdscr(), false)
        useColor = color && has_colors()
        if useColor {
            start_color()
            use_default_colors()
        }
        mousemask(duban_button1_clicked() | duban_button4_pressed() | duban_button5_pressed(), nil)
        curs_set(0)
        duban_install_stop_signals()
        width = Int(duban_cols())
        height = Int(duban_lines())
    }

    func stop() {
        endwin()
    }

    /// Waits up to `milliseconds` for input; nil on timeout.
    func read(timeout milliseconds: Int32) -> Event? {
        var ch: wint_t = 0
        // Input curses already holds (the rest of an escape sequence) first; then wait on the terminal
        // itself, which also tells a hang-up from a quiet second.
        wtimeout(duban_stdscr(), 0)
        var code = duban_get_wch(&ch)
        if code == ERR {
            switch duban_wait_input(milliseconds) {
            case -1:
                hungUp = true
                return nil
            case 0:
                return nil
            default:
                wtimeout(duban_stdscr(), 50)
                code = duban_get_wch(&ch)
            }
        }
        if code == ERR { return nil }
        if code == KEY_CODE_YES {
            let key = Int32(ch)
            if key == duban_key_resize() {
                width = Int(duban_cols())
                height = Int(duban_lines())
                previous = nil
                return .resize(width: width, height: height)
            }
            if key == duban_key_mouse() {
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if event.bstate & duban_button1_clicked() != 0 { return .mouse(x: Int(event.x), y: Int(event.y), button: .left) }
                if event.bstate & duban_button4_pressed() != 0 { return .mouse(x: Int(event.x), y: Int(event.y), button: .wheelUp) }
                if duban_button5_pressed() != 0 && event.bstate & duban_button5_pressed() != 0 {
                    return .mouse(x: Int(event.x), y: Int(event.y), button: .wheelDown)
                }
                return nil
            }
            return Self.functionKey(key).map { .key($0) }
        }
        return Self.characterKey(UInt32(ch)).map { .key($0) }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .character(Character(scalar))
        }
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
