import MeshSyntax

/// The answer that comes with every status but 0: `{"error": "a sentence"}`. It is read with
/// MeshSyntax's strict parser, the one the module itself uses, since this target sits below
/// WireJSON's json-c.
enum ErrorAnswer {
    /// The sentence, or nil when the answer is not that object.
    static func message(in bytes: [UInt8]) -> String? {
        let tree = JSONParser.parse(
            SourceText(bytes: bytes), options: ParseOptions(dialect: .strict, maxDepth: 2, maxDiagnostics: 1))
        guard !tree.hasErrors, let root = tree.rootValue, tree.kind(root) == .object else { return nil }
        for member in tree.members(of: root) where member.name == "error" {
            return member.value.flatMap { tree.string($0) }
        }
        return nil
    }
}
