import WireJSON

/// `workspace/didChangeWorkspaceFolders`: the folders `workspace/symbol` searches.
enum DidChangeWorkspaceFoldersHandler: NotificationHandler {
    static let method = "workspace/didChangeWorkspaceFolders"

    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError) {
        guard let event = try ParamsReader(params).optionalObject("event") else { return }
        let removed = Set(WorkspaceFolders.paths(try event.optionalArray("removed") ?? []))
        let added = WorkspaceFolders.paths(try event.optionalArray("added") ?? [])
        var folders = server.workspaceFolders.filter { !removed.contains($0) }
        for folder in added where !folders.contains(folder) { folders.append(folder) }
        server.workspaceFolders = folders
    }
}

/// Reading LSP `WorkspaceFolder`s.
enum WorkspaceFolders {
    /// The local paths of `folders` (`{uri, name}` objects), in order, without repeats;
    /// folders that are not `file:` URIs are left out.
    static func paths(_ folders: [JSONValue]) -> [String] {
        var paths: [String] = []
        for folder in folders {
            guard let uri = folder["uri"]?.stringValue, let path = DocumentURI.filePath(uri), !paths.contains(path)
            else { continue }
            paths.append(path)
        }
        return paths
    }
}
