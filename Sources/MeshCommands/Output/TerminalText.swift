/// Text from a config, a repository or a registry made safe to print on a terminal.
///
/// A config can hold any character (a service name `"\u001b]0;owned\u0007"` is valid
/// JSON), and a terminal obeys escape sequences wherever they come from: printed as is,
/// one retitles the window, clears the screen or rewrites what the user reads. Every C0
/// control, DEL and every C1 control is shown as a visible stand-in instead (docs/security.md):
/// C0 and DEL as their Unicode control pictures (`␛` for ESC, `␇` for BEL), C1 as `�`.
/// Each stand-in takes one column, like the character it replaces, so the carets under a
/// snippet stay aligned. JSON and SARIF output need none of this: JSON escapes controls.
enum TerminalText {
    /// `text` with its control characters replaced; a line feed and a tab are kept when
    /// `keepingLayout` (multi-line output the tools built themselves).
    static func escape(_ text: String, keepingLayout: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLayout: keepingLayout) }) else {
            return text
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(needsEscape(scalar, keepingLayout: keepingLayout) ? standIn(for: scalar) : scalar)
        }
        return String(result)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepingLayout: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepingLayout
        case 0x00...0x1F, 0x7F, 0x80...0x9F: true
        default: false
        }
    }

    /// The control picture of a C0 control or DEL (U+2400 + code, U+2421), else U+FFFD.
    private static func standIn(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00...0x1F: Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}"
        case 0x7F: "\u{2421}"
        default: "\u{FFFD}"
        }
    }
}
