import MeshSyntax
import Testing

/// Several unrelated mistakes in one config: each is reported on its own line, nothing
/// else is reported, and the rest of the document is still in the tree.
@Suite("Recovery")
struct RecoveryTests {
    /// A path into the document and the text of the value expected there.
    struct Lookup: Sendable, CustomStringConvertible {
        let path: [PathComponent]
        let value: String

        init(_ path: PathComponent..., is value: String) {
            self.path = path
            self.value = value
        }

        var description: String { path.map(\.description).joined(separator: ".") + " = " + value }
    }

    /// Parses `input` as JSONC; the error diagnostics must be exactly on `errorLines`
    /// (1-based, one each), and every lookup must find its value.
    static func check(
        _ input: String, errorLines: [Int], lookups: [Lookup], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let tree = JSONParser.parse(input, options: ParseOptions(dialect: .jsonc))
        let lines = tree.errors.map { tree.source.lineIndex.position(of: $0.range.start, in: .utf16).line + 1 }
        #expect(lines == errorLines, "\(tree.diagnostics.map(\.summary))", sourceLocation: sourceLocation)
        for lookup in lookups {
            let found = find(lookup.path, in: tree)
            #expect(found.map(tree.text) == lookup.value, "\(lookup)", sourceLocation: sourceLocation)
            // The path of the node found leads back to the lookup's path.
            if let found {
                #expect(tree.path(to: found) == lookup.path, "path of \(lookup)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Follows keys with `members(of:)` (the last member of a name wins) and indices with
    /// `elements(of:)`.
    static func find(_ path: [PathComponent], in tree: SyntaxTree) -> NodeID? {
        var current = tree.rootValue
        for component in path {
            guard let node = current else { return nil }
            switch component {
            case .key(let name):
                current = tree.members(of: node).last { $0.name == name }?.value
            case .index(let index):
                let elements = tree.elements(of: node)
                current = elements.indices.contains(index) ? elements[index] : nil
            }
        }
        return current
    }

    static let config = """
        {
          "version": 1,
          "mesh": { "name": "prod" "region": "eu-west" },
          "services": {
            "api": { "endpoints": ['https://api.internal'], "timeout": 30 },
            "web": { "endpoints": ["https://web.internal"] }
          },
          "routing": { "rules": [ { "path": "/api/*", "service": tru, "retries": 2 } ] },
          "observability": { "tracing": true }
        }
        """

    static let cases: [(String, [Int], [Lookup])] = [
        // A missing comma (line 3), single quotes (line 5) and a misspelt literal (line 8).
        (
            config, [3, 5, 8],
            [
                Lookup(.key("version"), is: "1"),
                Lookup(.key("mesh"), .key("name"), is: "\"prod\""),
                Lookup(.key("mesh"), .key("region"), is: "\"eu-west\""),
                Lookup(.key("services"), .key("api"), .key("timeout"), is: "30"),
                Lookup(.key("services"), .key("web"), .key("endpoints"), .index(0), is: "\"https://web.internal\""),
                Lookup(.key("routing"), .key("rules"), .index(0), .key("path"), is: "\"/api/*\""),
                Lookup(.key("routing"), .key("rules"), .index(0), .key("retries"), is: "2"),
                Lookup(.key("observability"), .key("tracing"), is: "true"),
            ]
        ),
        // A missing colon (line 2), an unterminated string that ends at its line (line 3)
        // and an unquoted key (line 4).
        (
            """
            {
              "a" 1,
              "b": "open,
              c: 3,
              "d": [1, 2, 3],
              "e": {"f": null}
            }
            """, [2, 3, 4],
            [
                Lookup(.key("a"), is: "1"),
                Lookup(.key("d"), .index(2), is: "3"),
                Lookup(.key("e"), .key("f"), is: "null"),
            ]
        ),
        // A stray character (line 2), a mismatched bracket (line 3) and a number with a
        // leading zero (line 5).
        (
            """
            {
              "a": @ 1,
              "b": [1, 2},
              "c": {"d": true},
              "e": 007,
              "f": "last"
            }
            """, [2, 3, 5],
            [
                Lookup(.key("a"), is: "1"),
                Lookup(.key("b"), .index(1), is: "2"),
                Lookup(.key("c"), .key("d"), is: "true"),
                Lookup(.key("f"), is: "\"last\""),
            ]
        ),
        // Junk before the value, a double comma and junk after the value.
        (
            """
            ]
            {"a": 1,, "b": 2}
            x
            """, [1, 2, 3],
            [
                Lookup(.key("a"), is: "1"),
                Lookup(.key("b"), is: "2"),
            ]
        ),
    ]

    @Test("three unrelated errors", arguments: cases)
    func recovers(input: String, errorLines: [Int], lookups: [Lookup]) {
        Self.check(input, errorLines: errorLines, lookups: lookups)
    }
}
