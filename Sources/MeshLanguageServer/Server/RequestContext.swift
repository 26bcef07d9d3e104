import MeshSyntax
import WireJSON

/// What a request handler may read: the server state as it was when the request arrived.
struct RequestContext: Sendable {
    /// The documents, open ones winning over disk.
    let documents: DocumentStore
    /// The negotiated position encoding.
    let encoding: PositionEncoding
    /// What the client can render.
    let client: ClientCapabilities
    /// The registry for hover's and code lens's live parts.
    let live: LiveRegistry
    /// The live diagnostics known per document (pull diagnostics include them).
    let liveDiagnostics: LiveDiagnosticsStore
    /// The paths of the client's workspace folders (`workspace/symbol` searches them).
    var workspaceFolders: [String] = []
    /// The symbols of the workspace folders' configs, cached per file.
    var workspaceSymbols = WorkspaceSymbolIndex()

    /// The document at `uri`: the open version, else the file on disk.
    func document(_ uri: String) throws(ResponseError) -> DocumentSnapshot {
        guard let snapshot = documents.snapshot(uri) else {
            throw .requestFailed("'\(uri)' is not open and cannot be read from disk")
        }
        return snapshot
    }

    /// The document named by `textDocument.uri` in `params`, with its converter.
    func document(in params: ParamsReader) throws(ResponseError) -> (DocumentSnapshot, PositionConverter) {
        let snapshot = try document(try params.textDocumentURI())
        return (snapshot, snapshot.converter(encoding))
    }
}

extension RequestContext {
    /// The document and byte offset of a `TextDocumentPositionParams`.
    func position(in params: ParamsReader) throws(ResponseError) -> (DocumentSnapshot, PositionConverter, Int) {
        let (snapshot, converter) = try document(in: params)
        return (snapshot, converter, converter.offset(of: try params.position()))
    }
}
