import Foundation
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// Folding ranges, selection ranges and document links.
@Suite("folding, selection ranges, document links")
struct StructureTests {
    /// The folds of `text` as `start-end` (0-based lines), `c` marking comment folds.
    private func checkFolds(_ text: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let folds = FoldingRanges.folds(in: Marked(text).analysis().tree)
        let found = folds.map { "\($0.startLine)-\($0.endLine)\($0.isComment ? "c" : "")" }
        #expect(found == expected, sourceLocation: sourceLocation)
    }

    @Test("containers fold to the line before their closing bracket; one-line ones and comments alone do not")
    func folds() {
        checkFolds(
            """
            {
              "services": {
                "a": { "endpoints": ["https://a.example"] },
                "b": {
                  "endpoints": [
                    "https://b.example"
                  ]
                }
              },
              "routing": { "default": "a" }
            }
            """, ["0-9", "1-7", "3-6", "4-5"])
        checkFolds("{\"a\": [1,\n2]}", [])
    }

    @Test("runs of line comments and long block comments fold as comments")
    func commentFolds() {
        checkFolds(
            """
            // one
            // two
            {
              /* a
                 b */
              "a": 1, // alone
              "b": 2
            }
            """, ["0-1c", "2-6", "3-4c"])
    }

    /// The selection chain at `$0`, innermost first, as the selected texts.
    private func checkSelection(
        _ marked: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let fixture = Marked(marked)
        let chain = SelectionRanges.chain(at: fixture[position: 0], in: fixture.analysis().tree)
        #expect(chain.map { fixture.text(in: $0) } == expected, sourceLocation: sourceLocation)
    }

    @Test("selection grows from a string's text to the member, the object and the document")
    func selection() {
        checkSelection(
            #"{"services": {"a": {"timeout": 30$000}}}"#,
            [
                "3000", #""timeout": 3000"#, #"{"timeout": 3000}"#, #""a": {"timeout": 3000}"#,
                #"{"a": {"timeout": 3000}}"#, #""services": {"a": {"timeout": 3000}}"#,
                #"{"services": {"a": {"timeout": 3000}}}"#,
            ])
        checkSelection(
            #" {"default": "us$0ers"} "#,
            ["users", #""users""#, #""default": "users""#, #"{"default": "users"}"#, #" {"default": "users"} "#])
    }

    @Test("the handler nests each position's chain as parents and answers every position")
    func selectionHandler() async {
        let fixture = Fixture(#"{"a": [1, 2«»]}"#)
        let start = fixture.converter.position(fixture.marked[range: 0].start)
        let answer = await fixture.call(
            SelectionRangeHandler.self, fixture.documentParams([("positions", [start, start])]))
        #expect(answer.arrayValue?.count == 2)
        var depth = 0
        var current = answer[0]
        while let next = current?["parent"] {
            depth += 1
            current = next
        }
        #expect(depth == 3, "2, the array, the member, the object (which is the whole document)")
    }

    @Test("links: $schema beside the file, endpoint URLs, and the wrangler config of the binding")
    func links() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[[kv_namespaces]]\nbinding = \"MESH\"\nid = \"abc\"\n".write(
            to: folder.appendingPathComponent("wrangler.toml"), atomically: true, encoding: .utf8)
        let text = """
            {
              "$schema": "../schemas/diddy-mesh.schema.json",
              "mesh": { "registry": { "binding": "MESH" } },
              "services": { "a": { "endpoints": ["https://a.example/x", "not a url", {"url": "ftp://b.example"}] } },
              "routing": { "default": "a" }
            }
            """
        let uri = folder.appendingPathComponent("diddy-mesh.jsonc").absoluteString
        let links = DocumentLinks.links(in: Marked(text).analysis(), uri: uri)
        let schema = folder.deletingLastPathComponent().appendingPathComponent("schemas/diddy-mesh.schema.json")
        #expect(
            links.map { Marked(text).text(in: $0.range) + " -> " + $0.target } == [
                "../schemas/diddy-mesh.schema.json -> " + schema.standardizedFileURL.absoluteString,
                "MESH -> " + folder.appendingPathComponent("wrangler.toml").absoluteString,
                "https://a.example/x -> https://a.example/x",
            ])
        let elsewhere = DocumentLinks.links(in: Marked(text).analysis(), uri: "untitled:Untitled-1")
        #expect(elsewhere.map(\.target) == ["https://a.example/x"], "no file: no relative schema, no wrangler config")
    }

    @Test("a $schema URL links as written; other schemes do not link")
    func schemaTargets() {
        #expect(
            DocumentLinks.schemaTarget("https://x.example/s.json", documentURI: "file:///a/b.jsonc")
                == "https://x.example/s.json")
        #expect(DocumentLinks.schemaTarget("javascript:alert(1)", documentURI: "file:///a/b.jsonc") == nil)
        #expect(DocumentLinks.schemaTarget("s.json", documentURI: "file:///a/b.jsonc") == "file:///a/s.json")
    }
}
