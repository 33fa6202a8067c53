import DubanCore

/// How the terminal draws: column widths for ambiguous characters, borders, colours.
public struct DisplaySettings: Sendable, Equatable {
    /// 1 or 2: the columns East Asian ambiguous characters take (2 in most Chinese-locale terminals).
    public var ambiguousWidth: Int
    /// False for a monochrome terminal or when NO_COLOR is set: meaning is carried by text and reverse video.
    public var color: Bool

    public init(ambiguousWidth: Int = 1, color: Bool = true) {
        self.ambiguousWidth = ambiguousWidth == 2 ? 2 : 1
        self.color = color
    }

    public var measure: DisplayWidth { DisplayWidth(ambiguous: ambiguousWidth) }

    /// Box drawing and block characters are ambiguous: where they would be two columns wide, ASCII stands in.
    public var ascii: Bool { ambiguousWidth == 2 }

    public var horizontal: Character { ascii ? "-" : "─" }
    public var vertical: Character { ascii ? "|" : "│" }
    /// A box's corners: top left, top right, bottom left, bottom right.
    public var corners: (Character, Character, Character, Character) { ascii ? ("+", "+", "+", "+") : ("┌", "┐", "└", "┘") }
    public var barFull: Character { ascii ? "#" : "█" }
    public var barEmpty: Character { ascii ? "." : "░" }
    public var expanded: String { ascii ? "-" : "▾" }
    public var collapsed: String { ascii ? "+" : "▸" }
    public var marker: String { ascii ? ">" : "▶" }
    public var star: String { "*" }

    // Styles: colour where there is colour, otherwise weight and reverse video.
    public var header: Style { color ? Style(foreground: .white, background: .blue, bold: true) : Style(reverse: true) }
    public var tabActive: Style { color ? Style(foreground: .black, background: .cyan, bold: true) : Style(bold: true, reverse: true) }
    public var tab: Style { color ? Style(foreground: .white, background: .blue) : Style(reverse: true) }
    public var selected: Style { Style(reverse: true) }
    public var heading: Style { Style(bold: true) }
    public var dim: Style { Style(dim: true) }
    public var footer: Style { color ? Style(foreground: .black, background: .white) : Style(reverse: true) }
    public var error: Style { color ? Style(foreground: .red, bold: true) : Style(bold: true) }
    public var good: Style { color ? Style(foreground: .green) : .plain }
    public var warn: Style { color ? Style(foreground: .yellow, bold: true) : Style(bold: true) }
    public var bad: Style { color ? Style(foreground: .red, bold: true) : Style(bold: true, underline: true) }

    public func style(for verdict: AssignmentStanding.Verdict) -> Style {
        switch verdict {
        case .done: return good
        case .doneLate: return color ? Style(foreground: .yellow) : .plain
        case .overdue: return bad
        case .inProgress: return color ? Style(foreground: .cyan) : .plain
        case .notStarted: return dim
        case .suspended: return dim
        case .pendingReview: return color ? Style(foreground: .magenta) : Style(underline: true)
        }
    }

    /// A light is shown by its character (红/黄/绿/灰), coloured where there is colour: the meaning never rests on colour alone.
    public func style(for light: WarningLight) -> Style {
        guard color else { return light == .red ? bad : light == .yellow ? Style(bold: true) : .plain }
        switch light {
        case .red: return Style(foreground: .white, background: .red, bold: true)
        case .yellow: return Style(foreground: .black, background: .yellow)
        case .green: return Style(foreground: .green)
        case .grey: return dim
        }
    }

    /// A bar of `width` columns filled to `fraction`.
    public func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded())))
        return String(repeating: barFull, count: filled) + String(repeating: barEmpty, count: width - filled)
    }
}
