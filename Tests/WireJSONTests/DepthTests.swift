import Testing
import WireJSON

/// One nesting case, described briefly so test output does not print the whole document.
struct NestingCase: Sendable, CustomTestStringConvertible {
    /// The container used at every level.
    enum Shape: Sendable {
        case arrays, objects
    }

    var shape: Shape
    /// How many containers wrap the innermost value.
    var containers: Int
    /// Whether the innermost value is the scalar `1` (true) or nothing, as in `[]` (false).
    var scalarLeaf: Bool
    var maxDepth: Int
    var accepted: Bool

    /// The document, e.g. `[[1]]` or `{"a":{"a":1}}`.
    var text: String {
        let leaf = scalarLeaf ? "1" : ""
        switch shape {
        case .arrays:
            return String(repeating: "[", count: containers) + leaf + String(repeating: "]", count: containers)
        case .objects:
            let inner = scalarLeaf ? "1" : "{}"
            let wrappers = scalarLeaf ? containers : containers - 1
            return String(repeating: "{\"a\":", count: wrappers) + inner + String(repeating: "}", count: wrappers)
        }
    }

    var testDescription: String {
        "\(containers) \(shape)\(scalarLeaf ? " around 1" : "") at maxDepth \(maxDepth)"
    }
}

/// Asserts whether the case parses, and that a rejection names the depth limit.
private func check(_ nesting: NestingCase, sourceLocation: SourceLocation = #_sourceLocation) {
    switch WireJSON.parse(nesting.text, maxDepth: nesting.maxDepth) {
    case .success:
        #expect(nesting.accepted, "accepted \(nesting.testDescription)", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(!nesting.accepted, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains("maxDepth"), "\(error)", sourceLocation: sourceLocation)
    }
}

/// json-c counts values on the deepest path, so a scalar inside a container is a level.
private let nestingCases: [NestingCase] = [
    NestingCase(shape: .arrays, containers: 0, scalarLeaf: true, maxDepth: 1, accepted: true),
    NestingCase(shape: .arrays, containers: 1, scalarLeaf: false, maxDepth: 1, accepted: true),
    NestingCase(shape: .arrays, containers: 1, scalarLeaf: true, maxDepth: 1, accepted: false),
    NestingCase(shape: .arrays, containers: 1, scalarLeaf: true, maxDepth: 2, accepted: true),
    NestingCase(shape: .arrays, containers: 2, scalarLeaf: false, maxDepth: 2, accepted: true),
    NestingCase(shape: .arrays, containers: 2, scalarLeaf: true, maxDepth: 2, accepted: false),
    NestingCase(shape: .arrays, containers: 2, scalarLeaf: false, maxDepth: 0, accepted: false),
    NestingCase(shape: .arrays, containers: 1023, scalarLeaf: true, maxDepth: 1024, accepted: true),
    NestingCase(shape: .arrays, containers: 1024, scalarLeaf: false, maxDepth: 1024, accepted: true),
    NestingCase(shape: .arrays, containers: 1024, scalarLeaf: true, maxDepth: 1024, accepted: false),
    NestingCase(shape: .objects, containers: 1023, scalarLeaf: true, maxDepth: 1024, accepted: true),
    NestingCase(shape: .objects, containers: 1024, scalarLeaf: true, maxDepth: 1024, accepted: false),
]

@Test("maxDepth bounds nesting", arguments: nestingCases)
func nestingLimit(nesting: NestingCase) {
    check(nesting)
}

@Test("An unterminated, very deep document is rejected without crashing")
func runawayNesting() {
    let result = WireJSON.parse(String(repeating: "[", count: 200_000))
    #expect(result == .failure(WireJSONError(message: "nesting deeper than maxDepth 1024", offset: 1024)))
}

@Test("The deepest accepted document survives a round trip, compact and pretty")
func deepRoundTrip() throws {
    let text = NestingCase(shape: .arrays, containers: 1023, scalarLeaf: true, maxDepth: 1024, accepted: true).text
    let value = try WireJSON.parse(text).get()
    #expect(WireJSON.serialize(value) == text)
    #expect(WireJSON.parse(WireJSON.serialize(value, pretty: true)) == .success(value))
}
