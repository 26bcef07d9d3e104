/// How serious a finding is, in the order LSP numbers them.
public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case error = 1
    case warning = 2
    case information = 3
    case hint = 4

    /// Errors sort first: a lower raw value is more severe.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue > rhs.rawValue }

    /// The lower-case name used in every output format (`error`, `warning`, `information`, `hint`).
    public var description: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .information: "information"
        case .hint: "hint"
        }
    }

    /// Parses the names accepted by `--fail-on`.
    public init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warning": self = .warning
        case "information", "info": self = .information
        case "hint": self = .hint
        default: return nil
        }
    }
}

/// Extra meaning an editor can render (LSP's `DiagnosticTag`).
public enum DiagnosticTag: Int, Sendable, Hashable {
    /// The code is unused; editors fade it out.
    case unnecessary = 1
    /// The code uses something deprecated; editors strike it through.
    case deprecated = 2
}

/// A replacement of the bytes in `range` with `newText`.
public struct TextEdit: Sendable, Hashable {
    /// The bytes to replace (empty for an insertion).
    public var range: ByteRange
    /// The replacement text.
    public var newText: String

    /// Creates an edit.
    public init(range: ByteRange, newText: String) {
        self.range = range
        self.newText = newText
    }
}

/// A named set of edits that resolves a diagnostic, offered as a quick fix.
public struct Fix: Sendable, Hashable {
    /// What the fix does, as a command would be labelled ("Replace with 'user-service'").
    public var title: String
    /// The edits, which must not overlap.
    public var edits: [TextEdit]
    /// Whether `check --fix` applies it unasked: it neither guesses what was meant (a
    /// did-you-mean) nor changes what the mesh does (a trailing comma, a rule that can
    /// never match, an unused suppression). The editor offers every fix either way.
    public var isSafe: Bool

    /// Creates a fix.
    public init(title: String, edits: [TextEdit], isSafe: Bool = false) {
        self.title = title
        self.edits = edits
        self.isSafe = isSafe
    }
}

/// Another place in the same document that explains a diagnostic (the first duplicate key,
/// the rule that shadows this one).
public struct RelatedInformation: Sendable, Hashable {
    /// Why this place matters.
    public var message: String
    /// Where it is.
    public var range: ByteRange

    /// Creates related information.
    public init(message: String, range: ByteRange) {
        self.message = message
        self.range = range
    }
}

/// One finding about a document: a stable code, a severity, a message that says what to
/// do, and the narrowest range that shows the problem.
public struct Diagnostic: Sendable, Hashable {
    /// The stable code (see ``DiagnosticCode``).
    public var code: DiagnosticCode
    /// The severity; usually the code's default, but some codes depend on the dialect.
    public var severity: Severity
    /// A sentence naming the offending thing.
    public var message: String
    /// The narrowest range that shows the problem.
    public var range: ByteRange
    /// Other places that explain the problem.
    public var related: [RelatedInformation]
    /// Suggestions that are not edits (printed as `= help:` lines).
    public var help: [String]
    /// Quick fixes.
    public var fixes: [Fix]
    /// Tags for editors.
    public var tags: [DiagnosticTag]

    /// Creates a diagnostic; the severity defaults to the code's.
    public init(
        _ code: DiagnosticCode,
        _ message: String,
        at range: ByteRange,
        severity: Severity? = nil,
        related: [RelatedInformation] = [],
        help: [String] = [],
        fixes: [Fix] = [],
        tags: [DiagnosticTag] = []
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.range = range
        self.related = related
        self.help = help
        self.fixes = fixes
        self.tags = tags
    }
}

extension Array where Element == Diagnostic {
    /// The diagnostics in document order, then by code, so every output is stable.
    public func sortedForOutput() -> [Diagnostic] {
        sorted { lhs, rhs in
            if lhs.range.start != rhs.range.start { return lhs.range.start < rhs.range.start }
            if lhs.range.end != rhs.range.end { return lhs.range.end < rhs.range.end }
            if lhs.code != rhs.code { return lhs.code.rawValue < rhs.code.rawValue }
            return lhs.message < rhs.message
        }
    }
}
