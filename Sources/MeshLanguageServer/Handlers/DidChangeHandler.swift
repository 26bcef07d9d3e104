import WireJSON

/// `textDocument/didChange`: incremental or full changes, applied in order; stale requests
/// on the document are answered `ContentModified` and diagnostics are rescheduled.
enum DidChangeHandler: NotificationHandler {
    static let method = "textDocument/didChange"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        let reader = try ParamsReader(params)
        let document = try reader.object("textDocument")
        let uri = try document.string("uri")
        let changes = try reader.objects("contentChanges").map { change throws(ResponseError) in
            let text = try change.string("text")
            guard change["range"] != nil else { return ContentChange.full(text) }
            let range = try change.range()
            return ContentChange.incremental(start: range.start, end: range.end, text: text)
        }
        guard
            let snapshot = server.documents.change(
                uri: uri, version: try document.optionalInt("version"),
                changes: changes, encoding: server.encoding)
        else {
            throw .invalidParams("'\(uri)' is not open")
        }
        server.documentChanged(snapshot)
    }
}
