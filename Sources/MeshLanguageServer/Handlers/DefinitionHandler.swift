import WireJSON

/// `textDocument/definition`: from a service reference (or the definition itself) to the
/// service's key under `services`.
enum DefinitionHandler: RequestHandler {
    static let method = "textDocument/definition"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        let analysis = snapshot.analysis
        guard let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) else { return .null }
        let definitions = ServiceSymbols.occurrences(of: occurrence.name, in: analysis).filter(\.isDefinition)
        guard !definitions.isEmpty else { return .null }
        return .array(definitions.map { LSP.location(uri: snapshot.uri, range: $0.range, converter: converter) })
    }
}
