import MeshSyntax
import WireJSON

/// `initialize`: negotiates the position encoding, reads the client's capabilities and
/// answers with the server's.
enum InitializeHandler {
    static let method = "initialize"

    /// What `initialize` settles for the session.
    struct Negotiated: Sendable {
        var encoding: PositionEncoding
        var client: ClientCapabilities
        var settings: JSONValue
        /// The paths of the workspace folders: `workspaceFolders`, else `rootUri`, else
        /// `rootPath`; folders that are not local files are left out.
        var workspaceFolders: [String] = []
    }

    /// Reads the params. The encoding is the first of the client's
    /// `general.positionEncodings` the server knows (all three LSP defines), else UTF-16,
    /// the one every client must support.
    static func negotiate(_ params: JSONValue?) throws(ResponseError) -> Negotiated {
        let reader = try ParamsReader(params)
        let capabilities = try reader.optionalObject("capabilities")
        var encoding = PositionEncoding.utf16
        if let general = try capabilities?.optionalObject("general"),
            let offered = try general.optionalArray("positionEncodings")
        {
            let known = offered.compactMap { $0.stringValue.flatMap(PositionEncoding.init(rawValue:)) }
            encoding = known.first ?? .utf16
        }
        return Negotiated(
            encoding: encoding,
            client: ClientCapabilities(capabilities.map { .object($0.object) }),
            settings: reader["initializationOptions"] ?? .null,
            workspaceFolders: workspaceFolders(reader))
    }

    /// The folder paths of `initialize`'s params. `workspaceFolders` wins when it is an
    /// array; `rootUri` and the older `rootPath` are the one folder of older clients.
    static func workspaceFolders(_ reader: ParamsReader) -> [String] {
        if let folders = reader["workspaceFolders"]?.arrayValue {
            return WorkspaceFolders.paths(folders)
        }
        if let uri = reader["rootUri"]?.stringValue, let path = DocumentURI.filePath(uri) { return [path] }
        if let path = reader["rootPath"]?.stringValue, path.hasPrefix("/") { return [path] }
        return []
    }

    /// The `InitializeResult`.
    static func result(encoding: PositionEncoding, version: String) -> JSONValue {
        [
            "capabilities": [
                "positionEncoding": .string(encoding.rawValue),
                "textDocumentSync": [
                    "openClose": true,
                    "change": 2, // incremental
                    "save": ["includeText": false],
                ],
                "completionProvider": [
                    "triggerCharacters": ["\""],
                    "resolveProvider": true,
                ],
                "hoverProvider": true,
                "definitionProvider": true,
                "referencesProvider": true,
                "documentHighlightProvider": true,
                "renameProvider": ["prepareProvider": true],
                "documentSymbolProvider": true,
                "workspaceSymbolProvider": true,
                "foldingRangeProvider": true,
                "selectionRangeProvider": true,
                "documentLinkProvider": ["resolveProvider": false],
                "semanticTokensProvider": ["legend": SemanticTokensHandler.legend, "full": true, "range": false],
                "inlayHintProvider": true,
                "codeActionProvider": ["codeActionKinds": ["quickfix"]],
                "documentFormattingProvider": true,
                "codeLensProvider": ["resolveProvider": false],
                "executeCommandProvider": ["commands": .array(ExecuteCommandHandler.commands.map { .string($0) })],
                "workspace": [
                    "workspaceFolders": ["supported": true, "changeNotifications": true]
                ],
                "diagnosticProvider": [
                    "identifier": "diddy-mesh",
                    "interFileDependencies": false,
                    "workspaceDiagnostics": false,
                ],
            ],
            "serverInfo": [
                "name": .string(ServerConfiguration.serverName),
                "version": .string(version),
            ],
        ]
    }
}
