import WireJSON

/// `textDocument/prepareRename`: a service name can be renamed; the range is the name
/// inside its quotes.
enum PrepareRenameHandler: RequestHandler {
    static let method = "textDocument/prepareRename"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        guard let occurrence = ServiceSymbols.occurrence(at: offset, in: snapshot.analysis) else { return .null }
        let inner = ServiceSymbols.innerRange(occurrence.range, in: snapshot.source)
        return ["range": converter.range(inner), "placeholder": .string(occurrence.name)]
    }
}
