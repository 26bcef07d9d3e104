import WireJSON

/// `workspace/didChangeConfiguration`: applies the `diddyMesh` section to the live-registry
/// features (the static features have no settings) and refreshes the live diagnostics.
enum DidChangeConfigurationHandler: NotificationHandler {
    static let method = "workspace/didChangeConfiguration"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        let reader = try ParamsReader(params)
        guard let settings = reader["settings"] else { return }
        server.applySettings(settings)
    }
}
