import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

/// One diagnostic a marked fixture must yield at its marked range.
struct ExpectedDiagnostic: CustomStringConvertible {
    let code: DiagnosticCode
    /// Text the message must contain.
    let message: String?
    /// The replacement text of a quick fix the diagnostic must offer; applying it must
    /// make the diagnostic go away without breaking the syntax.
    let fix: String?
    /// The severity, when it is not the code's default.
    let severity: Severity?

    init(_ code: DiagnosticCode, _ message: String? = nil, fix: String? = nil, severity: Severity? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
        self.severity = severity
    }

    var description: String { code.rawValue + (message.map { " '\($0)'" } ?? "") }
}

/// The one check of the diagnostics tests: analyses `marked` (as the file `path`, which
/// picks the dialect) and expects exactly the listed diagnostics, the i-th at marked
/// range i. Returns the document for further assertions.
@discardableResult
func check(
    _ marked: String,
    path: String = "diddy-mesh.jsonc",
    _ expected: [ExpectedDiagnostic],
    sourceLocation: SourceLocation = #_sourceLocation
) -> MeshDocument {
    let fixture = Marked(marked)
    let document = MeshDocument.analyze(fixture.source, path: path)
    #expect(
        fixture.ranges.count == expected.count,
        "the fixture marks \(fixture.ranges.count) ranges for \(expected.count) diagnostics",
        sourceLocation: sourceLocation)
    var unmatched = document.diagnostics
    for (index, expectation) in expected.enumerated() {
        let range = fixture[index]
        guard let position = unmatched.firstIndex(where: { $0.code == expectation.code && $0.range == range }) else {
            let shown = document.diagnostics.map { "\($0.code.rawValue) \($0.range) \($0.message)" }.joined(
                separator: "\n  ")
            Issue.record(
                "expected \(expectation) at \(range) ('\(fixture.text.slice(range))'), got:\n  \(shown)",
                sourceLocation: sourceLocation)
            continue
        }
        let diagnostic = unmatched.remove(at: position)
        #expect(
            diagnostic.severity == (expectation.severity ?? expectation.code.defaultSeverity)
                || expectation.code == .duplicateKey,
            "\(expectation.code.rawValue) has severity \(diagnostic.severity)", sourceLocation: sourceLocation)
        if let message = expectation.message {
            #expect(
                diagnostic.message.contains(message), "message: \(diagnostic.message)", sourceLocation: sourceLocation)
        }
        if let replacement = expectation.fix {
            checkFix(
                diagnostic, replacement: replacement, in: fixture.text, path: path, before: document,
                sourceLocation: sourceLocation)
        }
    }
    for extra in unmatched {
        Issue.record(
            Comment(
                rawValue: "unexpected \(extra.code.rawValue) at \(extra.range) ('\(fixture.text.slice(extra.range))'): "
                    + extra.message),
            sourceLocation: sourceLocation)
    }
    return document
}

private func checkFix(
    _ diagnostic: Diagnostic, replacement: String, in text: String, path: String, before: MeshDocument,
    sourceLocation: SourceLocation
) {
    guard let fix = diagnostic.fixes.first(where: { $0.edits.contains { $0.newText == replacement } }) else {
        Issue.record(
            "\(diagnostic.code.rawValue) offers no fix with '\(replacement)'; fixes: \(diagnostic.fixes.map(\.title))",
            sourceLocation: sourceLocation)
        return
    }
    #expect(!fix.title.isEmpty, sourceLocation: sourceLocation)
    let fixed = text.applying(fix.edits)
    let after = MeshDocument.analyze(SourceText(fixed), path: path)
    let same = { (other: Diagnostic) in other.code == diagnostic.code && other.message == diagnostic.message }
    #expect(
        !after.diagnostics.contains(where: same), "after '\(fix.title)' the text is:\n\(fixed)",
        sourceLocation: sourceLocation)
    #expect(
        after.diagnostics.filter { $0.code == .syntaxError }.count
            <= before.diagnostics.filter { $0.code == .syntaxError }.count,
        "the fix '\(fix.title)' must not break the syntax", sourceLocation: sourceLocation)
}

extension String {
    /// The text of a byte range (for messages).
    func slice(_ range: ByteRange) -> String {
        SourceText(self).text(in: range)
    }
}
