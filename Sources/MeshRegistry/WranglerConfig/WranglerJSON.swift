import MeshSyntax

/// `kv_namespaces` from `wrangler.json` / `wrangler.jsonc`, read with the project's JSONC
/// parser (wrangler accepts comments and trailing commas in both), so errors carry lines.
enum WranglerJSON {
    static func kvNamespaces(_ bytes: [UInt8], path: String) -> Result<[WranglerConfig.KVNamespace], RegistryError> {
        let source = SourceText(bytes: bytes)
        let tree = JSONParser.parse(source, options: ParseOptions(dialect: .jsonc))
        func failure(_ message: String, at node: NodeID?) -> Result<[WranglerConfig.KVNamespace], RegistryError> {
            let offset = node.map { tree.range($0).start } ?? 0
            let position = source.lineIndex.position(of: offset, in: .utf16)
            return .failure(.notConfigured("\(path):\(position): \(message)"))
        }
        if let syntax = tree.diagnostics.first(where: { $0.severity == .error }) {
            let position = source.lineIndex.position(of: syntax.range.start, in: .utf16)
            return .failure(.notConfigured("\(path):\(position): invalid JSON: \(syntax.message)"))
        }
        guard let root = tree.rootValue, tree.kind(root) == .object else {
            return failure("a wrangler config must be a JSON object", at: tree.rootValue)
        }
        guard let list = tree.member("kv_namespaces", of: root)?.value else { return .success([]) }
        guard tree.kind(list) == .array else { return failure("kv_namespaces must be an array", at: list) }
        var entries: [WranglerConfig.KVNamespace] = []
        for (index, element) in tree.elements(of: list).enumerated() {
            guard tree.kind(element) == .object else {
                return failure("kv_namespaces[\(index)] must be an object", at: element)
            }
            var strings: [String: String] = [:]
            for name in ["binding", "id", "preview_id"] {
                guard let value = tree.member(name, of: element)?.value, tree.kind(value) != .nullLiteral else {
                    continue
                }
                guard let text = tree.string(value) else {
                    return failure("kv_namespaces[\(index)].\(name) must be a string", at: value)
                }
                strings[name] = text
            }
            guard let binding = strings["binding"] else {
                return failure("kv_namespaces[\(index)] has no binding", at: element)
            }
            entries.append(
                WranglerConfig.KVNamespace(binding: binding, id: strings["id"], previewId: strings["preview_id"]))
        }
        return .success(entries)
    }
}
