import Foundation
import MeshSyntax
import Testing
import WireJSON

@testable import MeshLanguageServer

/// A mesh whose first rule is marked as range 0, with a non-ASCII comment before it so
/// that UTF-8 and UTF-16 positions differ.
private let mesh = """
    {
      "services": {
        "user-service": { "endpoints": ["https://users.example.com"] },
        "orders": { "endpoints": ["https://orders.example.com"] }
      },
      "routing": {
        "rules": [
          /* ü→ */ «{ "name": "users", "path": "/users/*", "service": "user-service" }»
        ],
        "default": "orders"
      }
    }
    """

/// `{textDocument, request}` params for `url` against `fixture`'s document.
private func params(_ fixture: Fixture, _ request: JSONValue) -> JSONValue {
    fixture.documentParams([("request", request)])
}

/// The error a handler throws for `params`, if any.
private func error(_ handler: any RequestHandler.Type, _ fixture: Fixture, _ params: JSONValue) async -> ResponseError?
{
    do {
        _ = try await handler.handle(params, context: fixture.context)
        return nil
    } catch {
        return error
    }
}

@Suite("what routes here")
struct WhatRoutesHereTests {
    @Test(
        "a request routes to the rule, with its range in the negotiated encoding",
        arguments: [PositionEncoding.utf8, .utf16, .utf32])
    func routed(encoding: PositionEncoding) async {
        let fixture = Fixture(mesh, encoding: encoding)
        let result = await fixture.call(
            WhatRoutesHereHandler.self,
            params(
                fixture,
                [
                    "method": "get",
                    "url": "https://api.example.com/users/42?x=1",
                    "headers": ["X-Trace": "on"],
                    "cf": ["continent": "eu", "latitude": 51.5, "longitude": 0],
                ]))
        #expect(result["outcome"] == "routed")
        #expect(result["service"] == "user-service")
        #expect(result["rule"]?["name"] == "users")
        #expect(result["rule"]?["range"] == fixture.range(0))
        #expect(result["request"]?["method"] == "GET")
        #expect(result["request"]?["cf"]?["continent"] == "EU")
        #expect(result["request"]?["cf"]?["longitude"] == JSONValue.int(0))
    }

    @Test("the answer is the CLI's trace JSON with LSP ranges")
    func sameAsTraceJSON() async {
        let fixture = Fixture(mesh)
        let result = await fixture.call(
            WhatRoutesHereHandler.self, params(fixture, ["url": "https://x.example/nothing"]))
        #expect(result["outcome"] == "default")
        #expect(result["service"] == "orders")
        #expect(result["rule"] == .null)
        #expect(result["skipped"]?[0]?["name"] == "users")
    }

    @Test("executeCommand runs the same with the params as its one argument; initialize advertises it")
    func command() async {
        let fixture = Fixture(mesh)
        let direct = await fixture.call(
            WhatRoutesHereHandler.self, params(fixture, ["url": "https://a.example/users/1"]))
        let viaCommand = await fixture.call(
            ExecuteCommandHandler.self,
            [
                "command": .string(WhatRoutesHere.command),
                "arguments": [params(fixture, ["url": "https://a.example/users/1"])],
            ])
        #expect(direct == viaCommand)
        #expect(direct["outcome"] == "routed")
        let capabilities = InitializeHandler.result(encoding: .utf16, version: "0")["capabilities"]
        #expect(capabilities?["executeCommandProvider"]?["commands"] == ["diddy-mesh.whatRoutesHere"])
        #expect(
            await fixture.call(ExecuteCommandHandler.self, ["command": "nope", "arguments": []]) == ["error": -32602])
        #expect(
            await fixture.call(ExecuteCommandHandler.self, ["command": .string(WhatRoutesHere.command)]) == [
                "error": -32602
            ])
    }

    @Test("bad params are -32602 with a message naming the problem")
    func invalidParams() async {
        let fixture = Fixture(mesh)
        let missing = await error(WhatRoutesHereHandler.self, fixture, params(fixture, ["method": "GET"]))
        #expect(missing?.code == -32602)
        #expect(missing?.message.contains("params.request.url is required") == true)
        let badURL = await error(WhatRoutesHereHandler.self, fixture, params(fixture, ["url": "not a url"]))
        #expect(badURL?.code == -32602)
        #expect(badURL?.message.hasPrefix("invalid request URL: ") == true)
        let badMethod = await error(
            WhatRoutesHereHandler.self, fixture, params(fixture, ["url": "https://a.example/", "method": "G ET"]))
        #expect(badMethod?.code == -32602)
        let noRequest = await error(WhatRoutesHereHandler.self, fixture, fixture.documentParams())
        #expect(noRequest?.code == -32602)
        let badHeader = await error(
            WhatRoutesHereHandler.self, fixture, params(fixture, ["url": "https://a.example/", "headers": ["A": 1]]))
        #expect(badHeader?.code == -32602)
        let badLatitude = await error(
            WhatRoutesHereHandler.self, fixture,
            params(fixture, ["url": "https://a.example/", "cf": ["latitude": "north"]]))
        #expect(badLatitude?.code == -32602)
    }

    @Test("the document's current text is routed, not the file on disk")
    func currentText() async {
        let renamed = mesh.replacingOccurrences(of: "\"name\": \"users\"", with: "\"name\": \"people\"")
        let fixture = Fixture(renamed)
        let result = await fixture.call(
            WhatRoutesHereHandler.self, params(fixture, ["url": "https://a.example/users/1"]))
        #expect(result["rule"]?["name"] == "people")
    }
}
