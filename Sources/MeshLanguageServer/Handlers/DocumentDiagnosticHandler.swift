import WireJSON

/// `textDocument/diagnostic` (pull): the same findings as the push, for clients that ask.
///
/// Each answer carries a result id naming the document version and the generation of its
/// live diagnostics, so that asking again about an unchanged document is answered
/// `unchanged` without the items, and new live findings still get through.
enum DocumentDiagnosticHandler: RequestHandler {
    static let method = "textDocument/diagnostic"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let snapshot = try context.document(try reader.textDocumentURI())
        let live = context.liveDiagnostics.current(for: snapshot)
        let resultID = "\(snapshot.serial).\(live.generation)"
        if try reader.optionalString("previousResultId") == resultID {
            return ["kind": "unchanged", "resultId": .string(resultID)]
        }
        return [
            "kind": "full", "resultId": .string(resultID),
            "items": PublishDiagnostics.items(for: snapshot, live: live.diagnostics, encoding: context.encoding),
        ]
    }
}
