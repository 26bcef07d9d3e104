import WireJSON

/// A request the server answers from a snapshot of its state, off the server actor, so
/// that read requests run concurrently with each other and with later edits.
protocol RequestHandler: Sendable {
    /// The LSP method.
    static var method: String { get }
    /// The result, or a `ResponseError` (bad params are `-32602`).
    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue
}

/// A notification that changes server state; it runs on the server actor, in order.
protocol NotificationHandler: Sendable {
    /// The LSP method.
    static var method: String { get }
    /// Applies the notification; errors are logged, since notifications get no answer.
    static func handle(_ params: JSONValue?, server: isolated ServerCore) throws(ResponseError)
}

/// The methods the server implements, by name.
enum MethodTable {
    private static let requestHandlers: [any RequestHandler.Type] = [
        DocumentDiagnosticHandler.self,
        CompletionHandler.self,
        CompletionResolveHandler.self,
        HoverHandler.self,
        DefinitionHandler.self,
        ReferencesHandler.self,
        DocumentHighlightHandler.self,
        PrepareRenameHandler.self,
        RenameHandler.self,
        DocumentSymbolHandler.self,
        WorkspaceSymbolHandler.self,
        FoldingRangeHandler.self,
        SelectionRangeHandler.self,
        DocumentLinkHandler.self,
        SemanticTokensHandler.self,
        InlayHintHandler.self,
        CodeActionHandler.self,
        FormattingHandler.self,
        CodeLensHandler.self,
        WhatRoutesHereHandler.self,
        ExecuteCommandHandler.self,
    ]

    private static let notificationHandlers: [any NotificationHandler.Type] = [
        DidOpenHandler.self,
        DidChangeHandler.self,
        DidCloseHandler.self,
        DidSaveHandler.self,
        DidChangeConfigurationHandler.self,
        DidChangeWatchedFilesHandler.self,
        DidChangeWorkspaceFoldersHandler.self,
    ]

    static let requests: [String: any RequestHandler.Type] = Dictionary(
        requestHandlers.map { ($0.method, $0) }, uniquingKeysWith: { first, _ in first })

    static let notifications: [String: any NotificationHandler.Type] = Dictionary(
        notificationHandlers.map { ($0.method, $0) }, uniquingKeysWith: { first, _ in first })
}
