import WireJSON

/// A JSON-RPC error answer: one of the codes of JSON-RPC 2.0 and LSP 3.17, and a message.
struct ResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The numeric code.
    var code: Int
    /// A sentence saying what was wrong.
    var message: String

    /// The codes the server answers with.
    enum Code {
        static let parseError = -32700
        static let invalidRequest = -32600
        static let methodNotFound = -32601
        static let invalidParams = -32602
        static let internalError = -32603
        static let serverNotInitialized = -32002
        static let requestFailed = -32803
        static let requestCancelled = -32800
        static let contentModified = -32801
    }

    static func parseError(_ message: String) -> ResponseError {
        ResponseError(code: Code.parseError, message: message)
    }
    static func invalidRequest(_ message: String) -> ResponseError {
        ResponseError(code: Code.invalidRequest, message: message)
    }
    static func methodNotFound(_ method: String) -> ResponseError {
        ResponseError(code: Code.methodNotFound, message: "unknown method '\(method)'")
    }
    static func invalidParams(_ message: String) -> ResponseError {
        ResponseError(code: Code.invalidParams, message: "invalid params: \(message)")
    }
    static func internalError(_ message: String) -> ResponseError {
        ResponseError(code: Code.internalError, message: message)
    }
    static func requestFailed(_ message: String) -> ResponseError {
        ResponseError(code: Code.requestFailed, message: message)
    }
    static let serverNotInitialized = ResponseError(
        code: Code.serverNotInitialized, message: "the server is not initialized: send 'initialize' first")
    static let cancelled = ResponseError(code: Code.requestCancelled, message: "the request was cancelled")
    static let contentModified = ResponseError(
        code: Code.contentModified, message: "the document changed while the request was in flight")
    static let shutDown = ResponseError(
        code: Code.invalidRequest, message: "the server is shut down: only 'exit' is accepted")

    /// The `error` member of a response.
    var json: JSONValue { ["code": .int(Int64(code)), "message": .string(message)] }

    var description: String { "\(code): \(message)" }
}
