import MeshSyntax
import Testing

/// The parser writes nodes into arrays sized for a well-formed document; broken input that
/// needs more is parsed again at the proven bound, with the tree any input of its shape
/// gets. Strings without colons need more: each pair becomes a member with a key and a
/// value where the estimate counted one node per string.
@Suite("Node capacity")
struct NodeCapacityTests {
    /// `{` then `count` strings with no colon between them, then `}`: a member per pair of
    /// strings (the second taken as the value the missing colon would have introduced),
    /// past the first estimate once `count` passes a few hundred.
    func check(stringsWithoutColons count: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = "{" + (0..<count).map { "\"k\($0)\"" }.joined(separator: " ") + "}"
        let tree = JSONParser.parse(text, options: ParseOptions(dialect: .jsonc, maxDiagnostics: 10))
        let pairs = count / 2
        let single = count % 2
        #expect(tree.nodeCount == 2 + 3 * pairs + 2 * single, sourceLocation: sourceLocation)
        guard let object = tree.rootValue else {
            Issue.record("no top-level value", sourceLocation: sourceLocation)
            return
        }
        let members = Array(tree.children(object))
        #expect(members.count == pairs + single, sourceLocation: sourceLocation)
        for (index, member) in members.enumerated() {
            let key = tree.firstChild(of: member)
            let value = key.flatMap { tree.nextSibling(of: $0) }
            #expect(tree.kind(member) == .member, sourceLocation: sourceLocation)
            #expect(key.map { tree.text($0) } == "\"k\(2 * index)\"", sourceLocation: sourceLocation)
            let expectedValue = 2 * index + 1 < count ? "\"k\(2 * index + 1)\"" : nil
            #expect(value.map { tree.text($0) } == expectedValue, sourceLocation: sourceLocation)
        }
        #expect(!tree.diagnostics.isEmpty && tree.diagnostics.count <= 11, sourceLocation: sourceLocation)
    }

    @Test(arguments: [1, 10, 101, 1_000, 20_001])
    func stringsWithoutColonsFit(count: Int) {
        check(stringsWithoutColons: count)
    }
}
