import WireJSON

/// `textDocument/documentLink` (``DocumentLinks``).
enum DocumentLinkHandler: RequestHandler {
    static let method = "textDocument/documentLink"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter) = try context.document(in: try ParamsReader(params))
        return .array(
            DocumentLinks.links(in: snapshot.analysis, uri: snapshot.uri).map { link in
                var object: JSONObject = ["range": converter.range(link.range), "target": .string(link.target)]
                if context.client.linkTooltips { object["tooltip"] = .string(link.tooltip) }
                return .object(object)
            })
    }
}
