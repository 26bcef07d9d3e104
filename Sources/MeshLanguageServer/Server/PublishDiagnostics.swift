import MeshSyntax
import WireJSON

/// `textDocument/publishDiagnostics` (push): every static finding of a document version,
/// plus the live ones known for it.
enum PublishDiagnostics {
    static let method = "textDocument/publishDiagnostics"

    /// The params for `snapshot`, with its version so the client can drop stale ones.
    static func params(for snapshot: DocumentSnapshot, live: [Diagnostic], encoding: PositionEncoding) -> JSONValue {
        var params: JSONObject = [
            "uri": .string(snapshot.uri),
            "diagnostics": items(for: snapshot, live: live, encoding: encoding),
        ]
        if let version = snapshot.version { params["version"] = .int(Int64(version)) }
        return .object(params)
    }

    /// The LSP diagnostics of `snapshot`: the static ones, then `live`.
    static func items(for snapshot: DocumentSnapshot, live: [Diagnostic], encoding: PositionEncoding) -> JSONValue {
        let converter = snapshot.converter(encoding)
        return .array(
            (snapshot.analysis.diagnostics + live).map {
                LSPDiagnostic.json($0, uri: snapshot.uri, converter: converter)
            })
    }
}
