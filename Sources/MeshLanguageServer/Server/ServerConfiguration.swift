import Foundation

/// How a ``LanguageServer`` behaves; the defaults are those of `diddy-mesh lsp`.
public struct ServerConfiguration: Sendable {
    /// The name reported in `initialize`'s `serverInfo` (docs/guide/editors.md fixes it).
    public static let serverName = "diddy-mesh"

    /// The version reported in `serverInfo`.
    public var version: String
    /// The shortest time between two analyses of one document for push diagnostics: an
    /// edit after a quiet spell is analysed at once, a burst of keystrokes at most once
    /// per interval (see ``AnalysisThrottle``).
    public var analysisInterval: Duration
    /// The largest message body accepted.
    public var maxContentLength: Int
    /// Whether log lines also go to standard error (they always go to `window/logMessage`).
    public var logToStandardError: Bool
    /// The environment the registry reads its API token and account from.
    public var environment: [String: String]
    /// The request handlers by method; tests add handlers with known timing.
    var requestHandlers: [String: any RequestHandler.Type] = MethodTable.requests

    /// Creates a configuration.
    public init(
        version: String = "0.0.0", analysisInterval: Duration = .milliseconds(10),
        maxContentLength: Int = 64 << 20, logToStandardError: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.environment = environment
        self.version = version
        self.analysisInterval = analysisInterval
        self.maxContentLength = maxContentLength
        self.logToStandardError = logToStandardError
    }
}
