import Testing
import WireJSON

@testable import MeshLanguageServer

/// A request that waits until it is cancelled, to test what happens to requests in flight.
enum SlowHandler: RequestHandler {
    static let method = "test/slow"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        do {
            try await Task.sleep(for: .seconds(30))
        } catch {
            throw .cancelled
        }
        return "too late"
    }
}

private let uri = "file:///virtual/mesh.jsonc"

@Suite("dispatch and lifecycle")
struct DispatcherTests {
    @Test("initialize answers capabilities and serverInfo; shutdown then exit is status 0")
    func lifecycle() async {
        var session = Session()
        session.configuration.version = "9.9.9"
        session.initialize()
        session.request(1, "shutdown")
        session.notify("exit")
        let (status, sent) = await session.run()
        #expect(status == 0)
        let result = sent.response(0)?["result"]
        #expect(result?["serverInfo"] == ["name": "diddy-mesh", "version": "9.9.9"])
        #expect(result?["capabilities"]?["positionEncoding"] == "utf-16")
        #expect(result?["capabilities"]?["textDocumentSync"]?["change"] == 2)
        #expect(result?["capabilities"]?["completionProvider"]?["triggerCharacters"] == ["\""])
        #expect(sent.response(1)?["result"] == .null)
    }

    @Test("exit without shutdown is status 1, and so is end of input without shutdown")
    func exitWithoutShutdown() async {
        var session = Session()
        session.initialize()
        session.notify("exit")
        session.request(5, "textDocument/hover", at(uri, 0, 0))
        let (status, sent) = await session.run()
        #expect(status == 1)
        #expect(sent.response(5) == nil, "nothing is handled after exit")

        var eof = Session()
        eof.initialize()
        #expect(await eof.run().status == 1)
    }

    @Test("requests before initialize are -32002 and notifications are dropped; exit still works")
    func beforeInitialize() async {
        var session = Session()
        session.request(1, "textDocument/hover", at(uri, 0, 0))
        session.request(2, "shutdown")
        session.open(uri, "{}")
        session.initialize()
        session.request(3, "textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])
        let (_, sent) = await session.run()
        #expect(sent.errorCode(1) == -32002)
        #expect(sent.errorCode(2) == -32002)
        #expect(sent.errorCode(3) == -32803, "the didOpen before initialize was dropped, so the document is unknown")
    }

    @Test("after shutdown every request is -32600 and exit is status 0")
    func afterShutdown() async {
        var session = Session()
        session.initialize()
        session.request(1, "shutdown")
        session.request(2, "textDocument/hover", at(uri, 0, 0))
        session.request(3, "shutdown")
        session.request(4, "initialize", ["capabilities": [:]])
        session.notify("exit")
        let (status, sent) = await session.run()
        #expect(status == 0)
        #expect(sent.errorCode(2) == -32600)
        #expect(sent.errorCode(3) == -32600)
        #expect(sent.errorCode(4) == -32600)
    }

    @Test("a second initialize is -32600")
    func secondInitialize() async {
        var session = Session()
        session.initialize()
        session.request(1, "initialize", ["capabilities": [:]])
        let (_, sent) = await session.run()
        #expect(sent.errorCode(1) == -32600)
    }

    @Test("malformed JSON is -32700 with a null id and the server keeps serving")
    func malformedJSON() async {
        var session = Session()
        session.initialize()
        for body in ["{\"jsonrpc\": \"2.0\", \"id\": 1, ", "not json", "{\"a\":1}}", "\u{FF}"] {
            let bytes = Array(body.utf8)
            session.sendRaw(Array("Content-Length: \(bytes.count)\r\n\r\n".utf8) + bytes)
        }
        session.request(9, "shutdown")
        let (_, sent) = await session.run()
        #expect(sent.nullIDErrors.count == 4)
        #expect(sent.nullIDErrors.allSatisfy { $0["error"]?["code"] == -32700 })
        #expect(sent.response(9)?["result"] == .null)
    }

    @Test("invalid requests are -32600: wrong jsonrpc, null or boolean id, non-string method, batches")
    func invalidRequests() async {
        var session = Session()
        session.initialize()
        session.send(["jsonrpc": "1.0", "id": 1, "method": "shutdown"])
        session.send(["jsonrpc": "2.0", "id": nil, "method": "shutdown"])
        session.send(["jsonrpc": "2.0", "id": true, "method": "shutdown"])
        session.send(["jsonrpc": "2.0", "id": 2, "method": 42])
        session.send([["jsonrpc": "2.0", "id": 3, "method": "shutdown"]])
        session.send(["jsonrpc": "2.0", "id": 4])
        let (_, sent) = await session.run()
        #expect(sent.errorCode(1) == -32600)
        #expect(sent.errorCode(2) == -32600)
        #expect(sent.errorCode(4) == -32600)
        #expect(sent.nullIDErrors.filter { $0["error"]?["code"] == -32600 }.count == 3)
    }

    @Test("unknown requests are -32601; unknown notifications are ignored")
    func unknownMethods() async {
        var session = Session()
        session.initialize()
        session.request(1, "textDocument/frobnicate")
        session.notify("$/unknownNotification")
        session.notify("custom/whatever", ["x": 1])
        session.request(2, "$/alsoUnknown")
        let (_, sent) = await session.run()
        #expect(sent.errorCode(1) == -32601)
        #expect(sent.errorCode(2) == -32601)
        #expect(sent.filter { $0["error"] != nil }.count == 2)
    }

    @Test("wrong param types are -32602 naming the field")
    func wrongParams() async {
        var session = Session()
        session.initialize()
        session.open(uri, "{}")
        session.request(
            1, "textDocument/hover",
            ["textDocument": ["uri": .string(uri)], "position": ["line": "zero", "character": 0]])
        session.request(2, "textDocument/hover", ["textDocument": ["uri": 7], "position": position(0, 0)])
        session.request(3, "textDocument/hover", ["position": position(0, 0)])
        session.request(4, "textDocument/hover", ["textDocument": ["uri": .string(uri)], "position": position(-1, 0)])
        session.send(["jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": "text"])
        session.request(
            6, "textDocument/rename", ["textDocument": ["uri": .string(uri)], "position": position(0, 0), "newName": 3])
        session.request(7, "textDocument/hover", at(uri, 0, 0))
        let (_, sent) = await session.run()
        for id in Int64(1)...6 { #expect(sent.errorCode(id) == -32602, "request \(id)") }
        #expect(sent.response(1)?["error"]?["message"]?.stringValue?.contains("params.position.line") == true)
        #expect(sent.response(7)?["error"] == nil)
    }

    @Test("$/cancelRequest answers the request with -32800, once")
    func cancel() async {
        var session = Session()
        session.configuration.requestHandlers[SlowHandler.method] = SlowHandler.self
        session.initialize()
        session.request(1, "test/slow")
        session.notify("$/cancelRequest", ["id": 1])
        session.notify("$/cancelRequest", ["id": 99])
        let (_, sent) = await session.run()
        #expect(sent.errorCode(1) == -32800)
        #expect(sent.filter { $0["id"] == 1 }.count == 1)
    }

    @Test("an edit answers in-flight requests on that document with -32801 and leaves others alone")
    func contentModified() async {
        var session = Session()
        session.configuration.requestHandlers[SlowHandler.method] = SlowHandler.self
        session.initialize()
        session.open(uri, "{}")
        session.request(1, "test/slow", ["textDocument": ["uri": .string(uri)]])
        session.request(2, "test/slow", ["textDocument": ["uri": "file:///other.jsonc"]])
        session.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(uri), "version": 2],
                "contentChanges": [["text": "{ }"]],
            ])
        session.notify("$/cancelRequest", ["id": 2])
        let (_, sent) = await session.run()
        #expect(sent.errorCode(1) == -32801)
        #expect(sent.errorCode(2) == -32800)
    }

    @Test("a duplicate id while the first is in flight is -32600")
    func duplicateID() async {
        var session = Session()
        session.configuration.requestHandlers[SlowHandler.method] = SlowHandler.self
        session.initialize()
        session.request(1, "test/slow")
        session.request(1, "test/slow")
        session.notify("$/cancelRequest", ["id": 1])
        let (_, sent) = await session.run()
        #expect(
            sent.filter { $0["id"] == 1 }.compactMap { $0["error"]?["code"]?.intValue }.sorted() == [-32800, -32600])
    }

    @Test("framing errors are answered with a null-id parse error and serving goes on", arguments: [1, 7, 4096])
    func framingAbuse(chunkSize: Int) async {
        var session = Session()
        session.sendRaw(Array("garbage\r\n\r\n".utf8))
        session.initialize()
        session.sendRaw(Array("Content-Type: x\r\n\r\n{}".utf8))
        session.sendRaw(Array("Content-Length: -1\r\n\r\n".utf8))
        session.sendRaw(Array("Content-Length: 999999999999\r\n\r\n".utf8))
        session.request(1, "shutdown")
        session.sendRaw(Array("Content-Length: 100\r\n\r\n{\"jsonrpc\"".utf8))
        let (status, sent) = await session.run(chunkSize: chunkSize)
        #expect(sent.response(0)?["result"]?["serverInfo"] != nil)
        #expect(sent.response(1)?["result"] == .null)
        #expect(sent.nullIDErrors.count == 4)
        #expect(status == 0, "shutdown was received before the truncated body")
    }

    @Test("ten thousand didChange notifications: the last text wins and one publish is enough")
    func flood() async {
        var session = Session()
        session.configuration.analysisInterval = .milliseconds(5)
        session.initialize()
        session.open(uri, "{\"version\": 1}")
        for version in 2...10_001 {
            session.notify(
                "textDocument/didChange",
                [
                    "textDocument": ["uri": .string(uri), "version": .int(Int64(version))],
                    "contentChanges": [
                        [
                            "range": ["start": position(0, 12), "end": position(0, 13)],
                            "text": .string(String(version % 10)),
                        ]
                    ],
                ])
        }
        session.request(1, "textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])
        let (_, sent) = await session.run(chunkSize: 65536)
        let publishes = sent.notifications("textDocument/publishDiagnostics")
        #expect(publishes.count < 200, "edits were throttled (\(publishes.count) publishes)")
        #expect(publishes.last?["params"]?["version"] == 10_001)
        let items = sent.response(1)?["result"]?["items"]?.arrayValue
        // The last edit wrote `1` again, so only the missing `services` remains.
        #expect(items?.compactMap { $0["code"]?.stringValue } == ["DM204"])
    }
}
