import MeshConfig
import MeshRouter
import MeshSyntax

/// One config file after `check`: where it is, its text and its findings.
public struct CheckedFile: Sendable {
    /// The path as shown to the user (relative paths stay relative).
    public let path: String
    /// The file's text.
    public let source: SourceText
    /// The findings to show, in document order (suppressed ones left out).
    public let diagnostics: [Diagnostic]
    /// The findings a `diddy-mesh-ignore` comment suppressed, in document order.
    public let suppressed: [SuppressedDiagnostic]
    /// The analysis the findings came from; nil for a file that is not text. Kept so that
    /// later checks (`--live`) read the model instead of analysing the file again.
    public let document: MeshDocument?

    /// Creates a checked file.
    public init(
        path: String, source: SourceText, diagnostics: [Diagnostic], suppressed: [SuppressedDiagnostic] = [],
        document: MeshDocument? = nil
    ) {
        self.path = path
        self.source = source
        self.diagnostics = diagnostics
        self.suppressed = suppressed
        self.document = document
    }

    /// The same file with `extra` findings (the live ones) merged in document order, after
    /// the config's `lint` section and comments have had their say on them, as in the editor.
    public func adding(_ extra: [Diagnostic]) -> CheckedFile {
        let outcome = document?.suppressions.apply(to: extra, reportingOnComments: false)
        let newlySuppressed = outcome?.suppressed ?? []
        return CheckedFile(
            path: path, source: source, diagnostics: (diagnostics + (outcome?.shown ?? extra)).sortedForOutput(),
            suppressed: (suppressed + newlySuppressed).sorted { $0.diagnostic.range.start < $1.diagnostic.range.start },
            document: document)
    }

    /// The same file without the findings of `codes` (`check --ignore`): left out as a
    /// `lint` setting of `"off"` leaves them, not listed as suppressed.
    public func leavingOut(_ codes: Set<DiagnosticCode>) -> CheckedFile {
        CheckedFile(
            path: path, source: source, diagnostics: diagnostics.filter { !codes.contains($0.code) },
            suppressed: suppressed, document: document)
    }

    /// The size from which a file's analysis runs its independent steps on two threads.
    public static let parallelThreshold = 64 * 1024

    /// Checks `bytes` read from `path` (``ConfigAnalysis``, as the editor does). A binary
    /// file keeps no document, so that later checks skip it.
    public static func check(path: String, bytes: [UInt8]) -> CheckedFile {
        let source = SourceText(bytes: bytes)
        // Starting a thread costs far less than analysing a large file, and more than
        // analysing a small one, so only a large file is analysed on two threads.
        let analysis =
            bytes.count >= parallelThreshold
            ? ConfigAnalysis(source, path: path, runner: ThreadPairRunner())
            : ConfigAnalysis(source, path: path)
        return CheckedFile(
            path: path, source: analysis.source, diagnostics: analysis.diagnostics, suppressed: analysis.suppressed,
            document: analysis.isBinary ? nil : analysis.document)
    }
}

/// Counts of findings by severity across files.
public struct CheckSummary: Sendable, Hashable {
    public var files = 0
    public var errors = 0
    public var warnings = 0
    public var information = 0
    public var hints = 0
    /// Findings a comment suppressed, counted apart.
    public var suppressed = 0

    /// Counts the findings of `files`.
    public init(_ files: [CheckedFile]) {
        self.files = files.count
        suppressed = files.reduce(0) { $0 + $1.suppressed.count }
        for diagnostic in files.flatMap(\.diagnostics) {
            switch diagnostic.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .information: information += 1
            case .hint: hints += 1
            }
        }
    }

    /// `2 errors, 1 warning in 3 files` or `no problems in 3 files`.
    public var sentence: String {
        let parts = [
            (errors, "error", "errors"), (warnings, "warning", "warnings"), (information, "information", "information"),
            (hints, "hint", "hints"),
        ]
        .filter { $0.0 > 0 }
        .map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
        let fileCount = "\(files) \(files == 1 ? "file" : "files")"
        let sentence =
            parts.isEmpty ? "no problems in \(fileCount)" : "\(parts.joined(separator: ", ")) in \(fileCount)"
        return suppressed == 0 ? sentence : sentence + " (\(suppressed) suppressed)"
    }
}

/// A 1-based line and UTF-16 column, the unit of every output format.
struct OutputPosition: Hashable {
    var line: Int
    var column: Int

    init(_ offset: Int, in source: SourceText) {
        let position = source.lineIndex.position(of: offset, in: .utf16)
        line = position.line + 1
        column = position.character + 1
    }
}
