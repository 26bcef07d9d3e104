import WireJSON

/// `textDocument/documentHighlight`: the service under the cursor everywhere it appears,
/// the definition as a write and references as reads.
enum DocumentHighlightHandler: RequestHandler {
    static let method = "textDocument/documentHighlight"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        let analysis = snapshot.analysis
        guard let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) else { return [] }
        return .array(
            ServiceSymbols.occurrences(of: occurrence.name, in: analysis).map { found in
                [
                    "range": converter.range(found.range),
                    "kind": .int(found.isDefinition ? LSP.HighlightKind.write : LSP.HighlightKind.read),
                ]
            })
    }
}
