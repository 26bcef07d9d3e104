import WireJSON

/// `textDocument/inlayHint` (``InlayHints``), for the range the editor shows.
enum InlayHintHandler: RequestHandler {
    static let method = "textDocument/inlayHint"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter) = try context.document(in: reader)
        let range = converter.range(of: try reader.range())
        return .array(
            InlayHints.hints(in: snapshot.analysis, range: range).map { hint in
                ["position": converter.position(hint.offset), "label": .string(hint.label), "paddingLeft": true]
            })
    }
}
