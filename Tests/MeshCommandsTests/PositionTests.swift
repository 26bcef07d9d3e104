import Foundation
import MeshCommands
import MeshSyntax
import Testing

/// A position as the JSON output writes it: 1-based line, 1-based UTF-16 column.
struct UTF16Position: Equatable, CustomStringConvertible {
    let line: Int
    let column: Int
    var description: String { "\(line):\(column)" }
}

/// A config with one range marked by `«` and `»`; the expected positions are computed
/// from Swift's own UTF-16 view, independently of the line index under test.
struct MarkedConfig: CustomTestStringConvertible, Sendable {
    let name: String
    let marked: String
    let code: DiagnosticCode

    var testDescription: String { name }

    var text: String { marked.replacingOccurrences(of: "«", with: "").replacingOccurrences(of: "»", with: "") }

    func expected() -> (start: UTF16Position, end: UTF16Position)? {
        guard let open = marked.range(of: "«"), let close = marked.range(of: "»") else { return nil }
        let beforeStart = String(marked[..<open.lowerBound])
        let beforeEnd = String(marked[..<close.lowerBound]).replacingOccurrences(of: "«", with: "")
        return (Self.position(after: beforeStart), Self.position(after: beforeEnd))
    }

    static func position(after prefix: String) -> UTF16Position {
        let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
        return UTF16Position(line: lines.count, column: (lines.last.map { String($0).utf16.count } ?? 0) + 1)
    }
}

@Suite("Positions in the output formats")
struct PositionTests {
    static let cases: [MarkedConfig] = [
        MarkedConfig(
            name: "after emoji and CJK on the same line",
            marked: """
                {
                  "services": { "users": {} },
                  "routing": { "rules": [{ "name": "🚀 发布 launch", "path": "/", "service": «"usr"» }], "default": "users" }
                }
                """, code: .undefinedService),
        MarkedConfig(
            name: "a key that contains an emoji",
            marked: """
                {
                  "services": { "users": { «"🚀timeout"»: 1 } },
                  "routing": { "default": "users" }
                }
                """, code: .unknownKey),
        MarkedConfig(
            name: "a value in CJK",
            marked: """
                {
                  "services": { "users": {} },
                  "routing": { "default": "users" },
                  "observability": { "logs": «"日本語"» }
                }
                """, code: .valueOutOfRange),
        MarkedConfig(
            name: "after a ZWJ sequence and a combining accent",
            marked: """
                {
                  "services": { "users": {} },
                  "routing": { "rules": [{ "name": "👩‍💻 café", "path": "/", "service": "users", "timeout": «60000» }] }
                }
                """, code: .valueOutOfRange),
        MarkedConfig(
            name: "after astral CJK (U+20000) in a comment",
            marked: """
                {
                  "services": { "users": {} }, /* 𠀀𠀁 */ "routing": { "rules": [{ "path": "/", "service": "users" }], "default": «"user"» }
                }
                """, code: .undefinedService),
    ]

    @Test("the JSON output counts columns in UTF-16 code units", arguments: cases)
    func jsonColumns(config: MarkedConfig) throws {
        let expected = try #require(config.expected())
        let file = CheckedFile.check(path: "diddy-mesh.jsonc", bytes: Array(config.text.utf8))
        try #require(file.diagnostics.count == 1, "\(file.diagnostics.map(\.message))")
        #expect(file.diagnostics[0].code == config.code)

        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONFormatter.format([file]).utf8)) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        let diagnostic = try #require((files.first?["diagnostics"] as? [[String: Any]])?.first)
        let range = try #require(diagnostic["range"] as? [String: [String: Int]])
        let start = range["start"].map { UTF16Position(line: $0["line"] ?? 0, column: $0["column"] ?? 0) }
        let end = range["end"].map { UTF16Position(line: $0["line"] ?? 0, column: $0["column"] ?? 0) }
        #expect(start == expected.start)
        #expect(end == expected.end)

        // The other machine formats agree.
        let github = GitHubFormatter.format([file])
        #expect(
            github.contains(
                "line=\(expected.start.line),col=\(expected.start.column),"
                    + "endLine=\(expected.end.line),endColumn=\(expected.end.column),"
            ),
            "\(github)")
        let sarif = SARIFFormatter.format([file])
        #expect(sarif.contains("\"startColumn\": \(expected.start.column),"), "SARIF startColumn")
        #expect(sarif.contains("\"endColumn\": \(expected.end.column)\n"), "SARIF endColumn")
        // The text format's path:line:col prefix uses the same column.
        let text = TextFormatter(color: false).format([file])
        #expect(text.hasPrefix("diddy-mesh.jsonc:\(expected.start.line):\(expected.start.column): "))
    }

    @Test("the text format underlines wide characters with two carets each")
    func caretWidth() throws {
        let config = Self.cases[2]
        let file = CheckedFile.check(path: "diddy-mesh.jsonc", bytes: Array(config.text.utf8))
        let lines = TextFormatter(color: false).format([file]).split(separator: "\n").map(String.init)
        let source = try #require(lines.firstIndex { $0.hasSuffix(#""logs": "日本語" }"#) })
        try #require(source + 1 < lines.count)
        // `  "observability": { "logs": ` is 29 cells; the value is 2 quotes + 3 wide characters.
        #expect(lines[source + 1] == "  | " + String(repeating: " ", count: 29) + String(repeating: "^", count: 8))
    }
}
