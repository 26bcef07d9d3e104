import WireJSON

/// `textDocument/diagnostic` (pull): the same findings as the push, for clients that ask.
///
/// Each answer carries a result id naming the document version, so that asking again
/// about an unchanged document is answered `unchanged` without the items.
enum DocumentDiagnosticHandler: RequestHandler {
    static let method = "textDocument/diagnostic"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let snapshot = try context.document(try reader.textDocumentURI())
        let resultID = "\(snapshot.serial)"
        if try reader.optionalString("previousResultId") == resultID {
            return ["kind": "unchanged", "resultId": .string(resultID)]
        }
        return ["kind": "full", "resultId": .string(resultID), "items": PublishDiagnostics.items(for: snapshot, encoding: context.encoding)]
    }
}
