import MeshRegistry
import WireJSON

/// `workspace/didChangeWatchedFiles`: a wrangler config changed, was created or was
/// deleted, so every document's registry is resolved again and its live diagnostics
/// refreshed (a new KV binding, a new `persist_to`, a namespace id filled in).
enum DidChangeWatchedFilesHandler: NotificationHandler {
    static let method = "workspace/didChangeWatchedFiles"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        let changes = try ParamsReader(params).array("changes")
        let wranglerChanged = changes.contains { change in
            guard let uri = change["uri"]?.stringValue else { return false }
            return WranglerWatch.isWranglerConfig(uri)
        }
        guard wranglerChanged else { return }
        server.live.invalidate()
        server.refreshLiveDiagnostics()
    }
}

/// The files the server asks the client to watch: the wrangler configs that
/// ``RegistryLocator`` reads to find a document's KV namespace.
enum WranglerWatch {
    /// The id of the server's `client/registerCapability` request (its answer is ignored:
    /// a client that refuses simply sends no notifications).
    static let registrationID = "diddy-mesh/watch-wrangler-configs"
    static let registerMethod = "client/registerCapability"

    /// The registration of `workspace/didChangeWatchedFiles` for wrangler configs.
    static let registration: JSONValue = [
        "registrations": [
            [
                "id": "wrangler-configs",
                "method": .string(DidChangeWatchedFilesHandler.method),
                "registerOptions": ["watchers": [["globPattern": "**/wrangler.{toml,json,jsonc}"]]],
            ]
        ]
    ]

    /// Whether `uri` names a wrangler config.
    static func isWranglerConfig(_ uri: String) -> Bool {
        let name = uri.split(separator: "/").last.map(String.init) ?? uri
        return WranglerConfig.fileNames.contains(name)
    }
}
