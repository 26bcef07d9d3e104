import WireJSON

/// `textDocument/semanticTokens/full` (``SemanticTokens``).
enum SemanticTokensHandler: RequestHandler {
    static let method = "textDocument/semanticTokens/full"

    /// The legend announced in `initialize`.
    static var legend: JSONValue {
        [
            "tokenTypes": .array(SemanticTokens.Kind.allCases.map { .string($0.legendName) }),
            "tokenModifiers": .array(SemanticTokens.modifiers.map { .string($0) }),
        ]
    }

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter) = try context.document(in: try ParamsReader(params))
        let data = SemanticTokens.encode(
            SemanticTokens.tokens(in: snapshot.analysis), lineIndex: converter.lineIndex, encoding: converter.encoding)
        return ["data": .array(data.map { .int(Int64($0)) })]
    }
}
