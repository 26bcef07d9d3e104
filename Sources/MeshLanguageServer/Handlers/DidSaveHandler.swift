import WireJSON

/// `textDocument/didSave`: the open text is already the truth, so saving changes
/// nothing; the params are still checked so that a malformed notification is logged.
enum DidSaveHandler: NotificationHandler {
    static let method = "textDocument/didSave"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        _ = try ParamsReader(params).textDocumentURI()
    }
}
