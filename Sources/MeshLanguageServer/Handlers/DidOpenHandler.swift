import WireJSON

/// `textDocument/didOpen`: the client owns the text from now on; diagnostics follow at once.
enum DidOpenHandler: NotificationHandler {
    static let method = "textDocument/didOpen"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        let document = try ParamsReader(params).object("textDocument")
        let snapshot = server.documents.open(
            uri: try document.string("uri"),
            languageID: try document.optionalString("languageId"),
            version: try document.optionalInt("version"),
            text: try document.string("text")
        )
        server.documentChanged(snapshot)
    }
}
