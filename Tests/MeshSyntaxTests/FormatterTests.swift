import Foundation
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

/// Formats `input` and compares with `expected`; formatting the result again must change
/// nothing, and the data and comments must be those of the input.
private func check(
    _ input: String, _ expected: String, options: JSONCFormatter.Options = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let formatted = JSONCFormatter.format(JSONParser.parse(input), options: options)
    #expect(formatted == expected, sourceLocation: sourceLocation)
    if let formatted { checkInvariants(input, formatted, options: options, sourceLocation: sourceLocation) }
}

/// Idempotent, comments kept in order, same JSON data.
private func checkInvariants(
    _ input: String, _ formatted: String, options: JSONCFormatter.Options = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        JSONCFormatter.format(JSONParser.parse(formatted), options: options) == formatted, "not idempotent",
        sourceLocation: sourceLocation)
    #expect(comments(formatted) == comments(input), "comments changed", sourceLocation: sourceLocation)
    #expect(data(formatted) == data(input), "data changed", sourceLocation: sourceLocation)
}

private func comments(_ text: String) -> [String] {
    let tree = JSONParser.parse(text)
    return tree.tokens.filter(\.kind.isTrivia).map { tree.source.text(in: $0.range) }
}

private func data(_ text: String) -> JSONValue? {
    try? WireJSON.parse(text, strict: false).get()
}

@Suite("formatting")
struct FormatterTests {
    @Test("reindents by structure, one member per line, trailing commas dropped")
    func reindent() {
        check(
            "{\"a\":1,\n\"b\":   [1,2,\n3,],\"c\":{\n\"d\":true}}",
            """
            {
              "a": 1,
              "b": [
                1,
                2,
                3
              ],
              "c": {
                "d": true
              }
            }

            """)
    }

    @Test("comments stay beside or above what they were beside or above")
    func comments() {
        check(
            """
            // header
            {
            "a": 1, // trailing a
                /* before b */ "b": 2,
              // own line

                 "c": [ // after bracket
            1 /* after one */ , 2
            ] // after array
            } // after all
            // the end
            """,
            """
            // header
            {
              "a": 1, // trailing a
              /* before b */
              "b": 2,
              // own line

              "c": [ // after bracket
                1, /* after one */
                2
              ] // after array
            } // after all
            // the end

            """)
    }

    @Test("one-line containers without comments that fit stay on one line")
    func inline() {
        check(
            "{\"e\": [ {\"url\":\"https://a\" ,\"region\":\"WEU\"}, \"https://b\" ], \"m\": [\"GET\",\"PUT\",]}",
            """
            { "e": [{ "url": "https://a", "region": "WEU" }, "https://b"], "m": ["GET", "PUT"] }

            """)
        let long = "{\"list\": [" + (0..<40).map { "\"item-\($0)\"" }.joined(separator: ", ") + "]}"
        let formatted = JSONCFormatter.format(JSONParser.parse(long)) ?? ""
        #expect(formatted.split(separator: "\n").allSatisfy { $0.count <= 100 })
        checkInvariants(long, formatted)
    }

    @Test("empty containers, blank lines between members, tabs and CRLF")
    func layoutDetails() {
        check("{\"a\": {}, \"b\": [ ],\n\n\n\"c\": {\n}}", "{\n  \"a\": {},\n  \"b\": [],\n\n  \"c\": {}\n}\n")
        var tabs = JSONCFormatter.Options()
        tabs.useTabs = true
        check("{\n\"a\": {\n\"b\": 1}}", "{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}\n", options: tabs)
        check("{\r\n\"a\": 1}", "{\r\n  \"a\": 1\r\n}\r\n")
    }

    @Test("documents with syntax errors are left alone")
    func syntaxErrors() {
        #expect(JSONCFormatter.format(JSONParser.parse("{\"a\": }")) == nil)
        #expect(JSONCFormatter.format(JSONParser.parse("{\"a\": tru}")) == nil)
    }

    @Test("the examples format idempotently and keep their comments and data")
    func examples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let examples = root.appendingPathComponent("examples")
        let files =
            FileManager.default.enumerator(atPath: examples.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonc") } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
            guard let formatted = JSONCFormatter.format(JSONParser.parse(text)) else { continue }
            checkInvariants(text, formatted)
        }
    }
}
