import WireJSON

/// `workspace/didChangeConfiguration`: keeps the `diddyMesh` section for the live-registry
/// features; the static features have no settings.
enum DidChangeConfigurationHandler: NotificationHandler {
    static let method = "workspace/didChangeConfiguration"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        let reader = try ParamsReader(params)
        guard let settings = reader["settings"] else { return }
        server.settings = settings["diddyMesh"] ?? settings
    }
}
