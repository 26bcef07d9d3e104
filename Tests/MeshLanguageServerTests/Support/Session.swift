import Foundation
import MeshTestSupport
import WireJSON

@testable import MeshLanguageServer

/// One in-memory client session: messages go in framed (in chunks of any size), and the
/// server runs to the end of input.
struct Session {
    var configuration = ServerConfiguration(analysisInterval: .zero, logToStandardError: false)
    var messages: [[UInt8]] = []

    /// Frames `message`.
    static func frame(_ message: JSONValue) -> [UInt8] {
        MessageEncoding.frame(message)
    }

    mutating func send(_ message: JSONValue) {
        messages.append(Self.frame(message))
    }

    mutating func sendRaw(_ bytes: [UInt8]) {
        messages.append(bytes)
    }

    mutating func request(_ id: Int64, _ method: String, _ params: JSONValue = [:]) {
        send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
    }

    mutating func notify(_ method: String, _ params: JSONValue = [:]) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    mutating func initialize(encodings: [String]? = nil, capabilities: JSONValue? = nil) {
        var caps: JSONObject = capabilities?.objectValue ?? [:]
        if let encodings { caps["general"] = ["positionEncodings": .array(encodings.map { .string($0) })] }
        request(0, "initialize", ["processId": nil, "rootUri": nil, "capabilities": .object(caps)])
        notify("initialized")
    }

    mutating func open(_ uri: String, _ text: String, version: Int64 = 1) {
        notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(uri), "languageId": "jsonc", "version": .int(version), "text": .string(text),
                ]
            ])
    }

    /// Runs the server over all messages, split into chunks of `chunkSize` bytes (all in
    /// one chunk when nil), and returns the exit status and what it sent.
    func run(chunkSize: Int? = nil) async -> (status: Int32, sent: [JSONValue]) {
        let bytes = messages.flatMap { $0 }
        var chunks: [[UInt8]] = []
        if let chunkSize {
            var start = 0
            while start < bytes.count {
                chunks.append(Array(bytes[start..<min(bytes.count, start + chunkSize)]))
                start += chunkSize
            }
        } else {
            chunks = [bytes]
        }
        let sink = RecordingSink()
        let status = await LanguageServer(configuration: configuration).run(source: ChunkSource(chunks), sink: sink)
        return (status, sink.recorded)
    }
}

extension Array where Element == JSONValue {
    /// The response to request `id`.
    func response(_ id: Int64) -> JSONValue? {
        first { $0["id"] == .int(id) && $0["method"] == nil }
    }

    /// The error code of the response to `id`.
    func errorCode(_ id: Int64) -> Int64? {
        response(id)?["error"]?["code"]?.intValue
    }

    /// Notifications of `method`.
    func notifications(_ method: String) -> [JSONValue] {
        filter { $0["method"] == .string(method) }
    }

    /// Error responses with a null id.
    var nullIDErrors: [JSONValue] {
        filter { $0["id"] == .null && $0["error"] != nil }
    }
}

/// Position JSON.
func position(_ line: Int, _ character: Int) -> JSONValue {
    ["line": .int(Int64(line)), "character": .int(Int64(character))]
}

/// `TextDocumentPositionParams`.
func at(_ uri: String, _ line: Int, _ character: Int) -> JSONValue {
    ["textDocument": ["uri": .string(uri)], "position": position(line, character)]
}
