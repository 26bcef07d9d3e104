import WireJSON

/// `textDocument/didClose`: the disk is the truth again; the document's diagnostics are cleared.
enum DidCloseHandler: NotificationHandler {
    static let method = "textDocument/didClose"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        let uri = try ParamsReader(params).textDocumentURI()
        guard server.documents.close(uri: uri) else { return }
        server.documentClosed(uri: uri)
    }
}
