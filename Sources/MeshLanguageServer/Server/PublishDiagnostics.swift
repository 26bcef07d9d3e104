import MeshConfig
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

    /// The LSP diagnostics of `snapshot`: the static ones, then `live` as this version's
    /// `lint` section and `diddy-mesh-ignore` comments leave them (the same rule as
    /// `check --live`). The live ones are kept raw and filtered here, so an edit to a
    /// comment takes effect without asking the registry again.
    static func items(for snapshot: DocumentSnapshot, live: [Diagnostic], encoding: PositionEncoding) -> JSONValue {
        let converter = snapshot.converter(encoding)
        let shownLive = snapshot.analysis.suppressions.apply(to: live, reportingOnComments: false).shown
        return .array(
            (snapshot.analysis.diagnostics + shownLive).map {
                LSPDiagnostic.json($0, uri: snapshot.uri, converter: converter)
            })
    }
}
