import WireJSON

/// `textDocument/foldingRange` (``FoldingRanges``).
enum FoldingRangeHandler: RequestHandler {
    static let method = "textDocument/foldingRange"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, _) = try context.document(in: try ParamsReader(params))
        return .array(
            FoldingRanges.folds(in: snapshot.analysis.tree).map { fold in
                var object: JSONObject = [
                    "startLine": .int(Int64(fold.startLine)), "endLine": .int(Int64(fold.endLine)),
                ]
                if fold.isComment { object["kind"] = "comment" }
                return .object(object)
            })
    }
}
