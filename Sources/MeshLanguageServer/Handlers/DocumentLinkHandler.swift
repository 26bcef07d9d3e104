import WireJSON

/// `textDocument/documentLink` (``DocumentLinks``).
enum DocumentLinkHandler: RequestHandler {
    static let method = "textDocument/documentLink"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter) = try context.document(in: try ParamsReader(params))
        return .array(
            DocumentLinks.links(in: snapshot.analysis, uri: snapshot.uri).map { link in
                [
                    "range": converter.range(link.range), "target": .string(link.target),
                    "tooltip": .string(link.tooltip),
                ]
            })
    }
}
