import Foundation
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// The position forms of `diddyMesh/whatRoutesHere`: golden answers for every marked
/// cursor of the fixtures in `Fixtures/WhatRoutesHere`, and checks that hold whatever the
/// golden files say (every witness routes where the answer claims, through the request
/// form too).
@Suite("what routes here: position forms")
struct WhatRoutesHerePositionTests {
    /// The fixture folder in the source tree, where golden files are recorded.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/WhatRoutesHere")

    @Test("golden answers at every marker", arguments: ["mesh", "edges"])
    func golden(name: String) async throws {
        let input = try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).jsonc"), encoding: .utf8)
        await check(input, expected: Self.fixtures.appendingPathComponent("\(name).json"))
    }

    /// Asks at every marker of `input` (UTF-16 positions) and compares the answers, keyed
    /// by marker, with the golden file `expected`; records it when missing or when
    /// `DIDDY_RECORD=1`. Every answer is also checked against routing itself.
    func check(_ input: String, expected: URL, sourceLocation: SourceLocation = #_sourceLocation) async {
        let fixture = Fixture(input)
        var answers = JSONObject()
        for digit in fixture.marked.positions.keys.sorted() {
            let answer = await fixture.call(WhatRoutesHereHandler.self, fixture.params(at: digit))
            await Self.verify(answer, fixture: fixture, sourceLocation: sourceLocation)
            answers["$\(digit)"] = answer
        }
        let actual = WireJSON.serialize(.object(answers), pretty: true) + "\n"
        let recording = ProcessInfo.processInfo.environment["DIDDY_RECORD"] == "1"
        guard !recording, let golden = try? String(contentsOf: expected, encoding: .utf8) else {
            do {
                try actual.write(to: expected, atomically: true, encoding: .utf8)
                print("recorded golden file \(expected.path)")
            } catch {
                Issue.record("cannot record \(expected.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        if golden != actual {
            let old = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line =
                zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
            Issue.record(
                """
                answers differ from \(expected.lastPathComponent) (re-record with DIDDY_RECORD=1 if intended), first at line \(line + 1):
                expected: \(line < old.count ? String(old[line]) : "<end>")
                actual:   \(line < new.count ? String(new[line]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }

    /// Checks that hold for any answer: examples select the rule, `shadowedBy` witnesses
    /// select the earlier rule, service witnesses end at the service, and the request form
    /// gives the very same trace for each witness's request.
    static func verify(_ answer: JSONValue, fixture: Fixture, sourceLocation: SourceLocation) async {
        var witnesses: [JSONValue] = []
        if let rule = answer["rule"], answer["examples"] != nil {
            for example in answer["examples"]?.arrayValue ?? [] {
                #expect(example["rule"]?["index"] == rule["index"], sourceLocation: sourceLocation)
                witnesses.append(example)
            }
            for entry in answer["shadowedBy"]?.arrayValue ?? [] {
                #expect(entry["witness"]?["rule"]?["index"] == entry["rule"]?["index"], sourceLocation: sourceLocation)
                #expect(
                    (entry["rule"]?["index"]?.intValue ?? .max) < (rule["index"]?.intValue ?? -1),
                    sourceLocation: sourceLocation)
                if let witness = entry["witness"] { witnesses.append(witness) }
            }
            if answer["unreachable"] == true { #expect(answer["examples"] == [], sourceLocation: sourceLocation) }
        }
        if let service = answer["service"]?["name"] {
            for route in answer["routes"]?.arrayValue ?? [] {
                guard let witness = route["witness"] else {
                    continue
                }
                #expect(route["unreachable"] == false, sourceLocation: sourceLocation)
                if route["via"] == "fallback" {
                    #expect(witness["service"] == route["fallbackFrom"], sourceLocation: sourceLocation)
                    #expect(witness["fallback"]?["service"] == service, sourceLocation: sourceLocation)
                    continue
                }
                #expect(witness["service"] == service, sourceLocation: sourceLocation)
                #expect(
                    witness["rule"]?["index"] ?? .null == route["rule"]?["index"] ?? .null,
                    sourceLocation: sourceLocation)
                // Seed 0 is what the request form uses, so only those traces can be replayed.
                if (route["seed"]?.intValue ?? 0) == 0 { witnesses.append(witness) }
            }
        }
        for witness in witnesses {
            guard let request = witness["request"] else { continue }
            let replay = await fixture.call(
                WhatRoutesHereHandler.self,
                fixture.documentParams([
                    (
                        "request",
                        [
                            "method": request["method"] ?? "GET",
                            "url": request["url"] ?? "",
                            "headers": request["headers"] ?? [:],
                            "cf": request["cf"] ?? [:],
                        ]
                    )
                ]))
            #expect(
                replay == witness, "the request form routes \(request["url"] ?? "") differently",
                sourceLocation: sourceLocation)
        }
    }

    @Test("the rule form's ranges follow the negotiated encoding", arguments: [PositionEncoding.utf8, .utf16, .utf32])
    func encodings(encoding: PositionEncoding) async {
        let fixture = Fixture(
            """
            {
              "services": { "s": { "endpoints": ["https://s.example.com"] } },
              "routing": { "rules": [
                /* ü→ */ «{ "path": "/a/*", "service": "s" }»,
                /* 𝄞 */ «{ "path": "/a/:id", $0"service": "s" }»
              ] }
            }
            """, encoding: encoding)
        let answer = await fixture.call(WhatRoutesHereHandler.self, fixture.params(at: 0))
        #expect(answer["rule"]?["range"] == fixture.range(1))
        #expect(answer["shadowedBy"]?[0]?["rule"]?["range"] == fixture.range(0))
        #expect(answer["shadowedBy"]?[0]?["witness"]?["rule"]?["range"] == fixture.range(0))
        #expect(answer["unreachable"] == true)
    }

    @Test("the answer follows the unsaved text")
    func unsavedText() async {
        let fixture = Fixture(
            """
            {
              "services": { "s": { "endpoints": ["https://s.example.com"] } },
              "routing": { "rules": [
                { "path": "/a/*", "methods": ["POST"], "service": "s" },
                { "path": "/a/:id", $0"service": "s" }
              ] }
            }
            """)
        let answer = await fixture.call(WhatRoutesHereHandler.self, fixture.params(at: 0))
        #expect(answer["unreachable"] == false)
        #expect(answer["examples"]?[0]?["request"]?["method"] == "GET")
        #expect(answer["shadowedBy"]?[0]?["witness"]?["request"]?["method"] == "POST")
    }

    @Test("executeCommand answers the position forms too")
    func command() async {
        let fixture = Fixture(
            Sample.mesh.replacingOccurrences(of: "\"name\": \"users\",", with: "\"name\": \"users\", $0"))
        let direct = await fixture.call(WhatRoutesHereHandler.self, fixture.params(at: 0))
        let viaCommand = await fixture.call(
            ExecuteCommandHandler.self,
            ["command": .string(WhatRoutesHere.command), "arguments": [fixture.params(at: 0)]])
        #expect(direct == viaCommand)
        #expect(direct["rule"]?["name"] == "users")
        #expect(direct["examples"]?.arrayValue?.isEmpty == false)
    }

    @Test("a request wins over a position; neither is -32602")
    func precedence() async {
        let fixture = Fixture(
            Sample.mesh.replacingOccurrences(of: "\"name\": \"users\",", with: "\"name\": \"users\", $0"))
        let both = await fixture.call(
            WhatRoutesHereHandler.self, fixture.params(at: 0, [("request", ["url": "https://x.example/orders/1"])]))
        #expect(both["outcome"] == "routed")
        #expect(both["rule"]?["index"] == 1)
        #expect(await fixture.call(WhatRoutesHereHandler.self, fixture.documentParams()) == ["error": -32602])
        #expect(
            await fixture.call(WhatRoutesHereHandler.self, fixture.documentParams([("position", "top")])) == [
                "error": -32602
            ])
    }
}

/// Position answers on large tables stay bounded: the rule and service forms on tables
/// whose rules all start with a parameter, the case where no prefix tells rules apart.
@Suite("what routes here: position forms at scale")
struct WhatRoutesHereScaleTests {
    static func mesh(rules count: Int) -> String {
        let rules = (0..<count).map { index in
            #"{ "path": "/:tenant/r\#(index)/*", "methods": ["\#(["GET", "POST", "PUT"][index % 3])"], "service": "#
                + #""s" }"#
        }
        return """
            {
              "services": { "s": { "endpoints": ["https://s.example.com"] }, "t": { "endpoints": ["https://t.example.com"], "fallback": "s" } },
              "routing": { "rules": [
                \(rules.joined(separator: ",\n    ")),
                { "path": "/*", $0"service": "t" }
              ], "default": "$1s" }
            }
            """
    }

    @Test("rule and service forms on 400 parameter-first rules")
    func parameterFirst() async {
        let fixture = Fixture(Self.mesh(rules: 400))
        let clock = ContinuousClock()
        var rule = JSONValue.null
        var service = JSONValue.null
        let ruleTime = await clock.measure {
            rule = await fixture.call(WhatRoutesHereHandler.self, fixture.params(at: 0))
        }
        let serviceTime = await clock.measure {
            service = await fixture.call(WhatRoutesHereHandler.self, fixture.params(at: 1))
        }
        print("400 parameter-first rules: rule form \(ruleTime), service form \(serviceTime)")
        #expect(rule["shadowedBy"]?.arrayValue?.count == RuleReachAnswer.takerLimit)
        #expect(rule["examples"]?.arrayValue?.isEmpty == false)
        let routes = service["routes"]?.arrayValue ?? []
        #expect(routes.count == 400 + 1 + 1)
        #expect(routes.filter { $0["witness"] != nil }.count == ServiceReachAnswer.searchLimit)
        #expect(routes.last?["via"] == "fallback")
        // Generous for a debug build on a busy 2-core machine.
        #expect(ruleTime < .seconds(30))
        #expect(serviceTime < .seconds(60))
    }
}
