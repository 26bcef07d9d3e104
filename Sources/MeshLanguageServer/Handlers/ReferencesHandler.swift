import WireJSON

/// `textDocument/references`: every reference to the service under the cursor, and its
/// definition when `context.includeDeclaration` asks for it.
enum ReferencesHandler: RequestHandler {
    static let method = "textDocument/references"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter, offset) = try context.position(in: reader)
        let includeDeclaration = try reader.optionalObject("context")?.optionalBool("includeDeclaration") ?? false
        let analysis = snapshot.analysis
        guard let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) else { return [] }
        let found = ServiceSymbols.occurrences(of: occurrence.name, in: analysis).filter {
            includeDeclaration || !$0.isDefinition
        }
        return .array(found.map { LSP.location(uri: snapshot.uri, range: $0.range, converter: converter) })
    }
}
