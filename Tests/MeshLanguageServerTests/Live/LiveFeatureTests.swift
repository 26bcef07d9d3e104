import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax
import Testing
import WireJSON

@testable import MeshLanguageServer

/// A config whose services the live tests write health for; `$0` is on a reference to
/// `users`, `$1` on the second endpoint's URL, `$2` on the `search` definition.
private let liveMesh = """
    {
      "version": 1,
      "services": {
        "users": {
          "endpoints": [
            { "url": "https://u1.example.com", "id": "u1" },
            "https://u2$1.example.com",
            { "url": "https://u3.example.com", "id": "u3" }
          ]
        },
        "sea$2rch": {}
      },
      "routing": {
        "rules": [
          { "name": "users", "path": "/users/*", "service": "us$0ers" },
          { "path": "/users/me", "service": "search" },
          { "path": "/search/*", "split": [{ "service": "search", "weight": 3 }, { "service": "users", "weight": 1 }] }
        ],
        "default": "users"
      }
    }
    """

/// Hover's markdown at `$digit` of `text` opened in `workspace` with `settings`.
private func hover(_ text: String, at digit: Int, in workspace: LiveWorkspace, settings: String = "{}") async -> String
{
    let fixture = Fixture(
        text, name: "diddy-mesh.jsonc", directory: workspace.directory, live: workspace.live(settings))
    let answer = await fixture.call(HoverHandler.self, fixture.params(at: digit))
    return answer["contents"]?["value"]?.stringValue ?? "(no hover: \(WireJSON.serialize(answer)))"
}

/// Every string of `expected` is in `text`.
/// The live mesh opened in `workspace`, and its live findings (DM601 for `search`).
private func liveMeshFindings(in workspace: LiveWorkspace) async throws -> (DocumentSnapshot, [Diagnostic]) {
    let live = workspace.live()
    let fixture = Fixture(liveMesh, name: "diddy-mesh.jsonc", directory: workspace.directory, live: live)
    let snapshot = try #require(fixture.snapshot)
    return (snapshot, try #require(await LiveDiagnostics.compute(for: snapshot, live: live)))
}

private func expectAll(_ expected: [String], in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for item in expected {
        #expect(text.contains(item), "\(item) not in:\n\(text)", sourceLocation: sourceLocation)
    }
}

@Suite("live hover, code lens and diagnostics over a real wrangler-local store", .serialized)
struct LiveFeatureTests {
    @Test("service hover lists each endpoint's status, p50, age and circuit, and how many are healthy")
    func serviceHealth() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        try await workspace.writeHealth(service: "users", endpoint: "u1", status: .healthy, age: 5, p50: 12)
        try await workspace.writeHealth(
            service: "users", endpoint: "https://u2.example.com", status: .unhealthy, age: 125, p50: nil, circuit: .open
        )
        let text = await hover(liveMesh, at: 0, in: workspace)
        expectAll(
            [
                "**service `users`**",
                "**Live health** — wrangler-local namespace mesh-ns",
                "1/3 healthy",
                "- `https://u1.example.com`: **healthy** · p50 12 ms · checked 5 s ago · circuit closed",
                "- `https://u2.example.com`: **unhealthy** · checked 2 min ago (stale) · circuit open",
                "- `https://u3.example.com`: no health record",
            ], in: text)
    }

    @Test("health.staleAfterSeconds decides what is stale")
    func staleSetting() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        try await workspace.writeHealth(service: "users", endpoint: "u1", status: .healthy, age: 50)
        let lenient = await hover(liveMesh, at: 0, in: workspace, settings: #"{"health": {"staleAfterSeconds": 60}}"#)
        expectAll(["checked 50 s ago · circuit closed", "1/3 healthy"], in: lenient)
        let strict = await hover(liveMesh, at: 0, in: workspace, settings: #"{"health.staleAfterSeconds": 10}"#)
        expectAll(["checked 50 s ago (stale)", "0/3 healthy"], in: strict)
    }

    @Test("a service without static endpoints shows its registered ones")
    func registeredEndpoints() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        try await workspace.register(service: "search", endpoints: ["https://s1.example.com"])
        try await workspace.writeHealth(
            service: "search", endpoint: "https://s1.example.com", status: .degraded, age: 1, p50: 250)
        let text = await hover(liveMesh, at: 2, in: workspace)
        expectAll(
            [
                "discovered from the registry", "0/1 healthy",
                "`https://s1.example.com`: **degraded** · p50 250 ms · checked 1 s ago",
            ], in: text)
        let empty = try LiveWorkspace()
        defer { empty.remove() }
        expectAll(["No endpoints are registered under `service:search`."], in: await hover(liveMesh, at: 2, in: empty))
    }

    @Test("endpoint hover shows the endpoint and its full record, or that there is none")
    func endpointRecord() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        let failure = HealthRecord.ProbeFailure(kind: .status, message: "expected 200, got 503", status: 503)
        try await workspace.writeHealth(
            service: "users", endpoint: "https://u2.example.com", status: .unhealthy, age: 3, p50: 40,
            circuit: .open, failure: failure)
        let text = await hover(liveMesh, at: 1, in: workspace)
        expectAll(
            [
                "**endpoint `https://u2.example.com`** of service `users`",
                "health is recorded under its URL",
                "`health:users:https%3A%2F%2Fu2.example.com`",
                "- status: **unhealthy**, checked 3 s ago",
                "- latency: last 40 ms, p50 40 ms, p95 80 ms, ewma 40 ms",
                "- streak: 0 successes, 3 failures",
                "- circuit: open, next trial in 20 s, tripped 1 time",
                "- last error: status (HTTP 503): expected 200, got 503",
                "- checked by: ci-prober in AMS",
            ], in: text)
        let fresh = try LiveWorkspace()
        defer { fresh.remove() }
        expectAll(
            ["No health record under `health:users:https%3A%2F%2Fu2.example.com`"],
            in: await hover(liveMesh, at: 1, in: fresh))
    }

    @Test("without a registry, hover says why; with the registry off it says nothing live")
    func unavailable() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        try Data("[[kv_namespaces]\nbinding = 1\n".utf8).write(
            to: URL(fileURLWithPath: workspace.directory + "/wrangler.toml"))
        let broken = await hover(liveMesh, at: 0, in: workspace)
        expectAll(["**service `users`**", "_Live health unavailable:", "wrangler.toml"], in: broken)
        let off = await hover(liveMesh, at: 0, in: workspace, settings: #"{"diddyMesh": {"registry": "off"}}"#)
        #expect(off.contains("**service `users`**") && !off.contains("Live health"), "\(off)")
    }

    @Test("code lenses: targets with health, splits with shares, shadowing, and rules per service")
    func codeLenses() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        try await workspace.writeHealth(service: "users", endpoint: "u1", status: .healthy, age: 5)
        try await workspace.writeHealth(service: "users", endpoint: "u3", status: .healthy, age: 5)
        let fixture = Fixture(
            liveMesh, name: "diddy-mesh.jsonc", directory: workspace.directory, live: workspace.live())
        let lenses = await fixture.call(CodeLensHandler.self, fixture.documentParams()).arrayValue ?? []
        let titles = lenses.compactMap { $0["command"]?["title"]?.stringValue }
        #expect(
            titles == [
                "2 rules route here · routing.default",
                "2 rules route here",
                "-> users · 2/3 healthy",
                "shadowed by #0 (users)",
                "-> search 75% (no endpoints registered) | users 25% (2/3 healthy)",
            ])
        #expect(lenses.allSatisfy { $0["command"]?["command"]?.stringValue == WhatRoutesHere.command })
        // Clicking a lens runs what-routes-here at its position: the service form above a
        // service, the rule form above a rule.
        var answered: [String] = []
        for lens in lenses {
            let command = try #require(lens["command"])
            let answer = await fixture.call(
                ExecuteCommandHandler.self,
                [
                    "command": command["command"] ?? .null, "arguments": command["arguments"] ?? .null,
                ])
            answered.append(answer["service"] != nil ? "service" : answer["rule"] != nil ? "rule" : "\(answer)")
        }
        #expect(answered == ["service", "service", "rule", "rule", "rule"])
        let staticOnly = Fixture(liveMesh, name: "diddy-mesh.jsonc")
        let staticTitles = (await staticOnly.call(CodeLensHandler.self, staticOnly.documentParams())).arrayValue?
            .compactMap { $0["command"]?["title"]?.stringValue }
        #expect(staticTitles?[2] == "-> users")
    }

    @Test("live diagnostics: DM601 for a service nothing registers, carried to the next version at its new place")
    func liveDiagnostics() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        let (snapshot, found) = try await liveMeshFindings(in: workspace)
        #expect(found.map(\.code) == [.noEndpointsRegistered])
        let store = LiveDiagnosticsStore()
        #expect(store.update(found, for: snapshot))
        #expect(!store.update(found, for: snapshot), "the same findings again need no publish")
        let edited = DocumentSnapshot(
            uri: snapshot.uri, version: 2, source: SourceText("// a comment\n" + snapshot.source.text),
            languageID: "jsonc")
        let carried = store.current(for: edited)
        let name = try #require(edited.analysis.config.service(named: "search")).name.range
        #expect(carried.diagnostics.map(\.range) == [name])
        #expect(carried.generation == store.current(for: snapshot).generation)

        let off = workspace.live(#"{"diagnostics": {"live": false}}"#)
        #expect(await LiveDiagnostics.compute(for: snapshot, live: off) == nil)
    }

    @Test("the live store keeps no version alive: each finding keeps only what it is about")
    func liveStoreHoldsNoSnapshot() async throws {
        let workspace = try LiveWorkspace()
        defer { workspace.remove() }
        let (snapshot, found) = try await liveMeshFindings(in: workspace)
        let store = LiveDiagnosticsStore()
        weak var released: DocumentSnapshot?
        do {
            let version = DocumentSnapshot(uri: snapshot.uri, version: 7, source: snapshot.source, languageID: "jsonc")
            #expect(store.update(found, for: version))
            released = version
        }
        #expect(released == nil, "an old version's tree and model must not outlive it in the store")
        let edited = DocumentSnapshot(
            uri: snapshot.uri, version: 8, source: SourceText("\n\n" + snapshot.source.text), languageID: "jsonc")
        let name = try #require(edited.analysis.config.service(named: "search")).name.range
        #expect(store.current(for: edited).diagnostics.map(\.range) == [name])
    }

    @Test("a project with no registry gets no DM603; an explicit but broken one does")
    func registryUnavailableOnlyWhenConfigured() async throws {
        let bare = try LiveWorkspace()
        defer { bare.remove() }
        try FileManager.default.removeItem(atPath: bare.directory + "/wrangler.toml")
        let live = bare.live()
        let plain = Fixture(liveMesh, name: "diddy-mesh.jsonc", directory: bare.directory, live: live)
        #expect(await LiveDiagnostics.compute(for: try #require(plain.snapshot), live: live) == nil)
        let withBinding = liveMesh.replacingOccurrences(
            of: "\"version\": 1,", with: "\"version\": 1, \"mesh\": {\"registry\": {\"binding\": \"NOPE\"}},")
        let configured = Fixture(withBinding, name: "diddy-mesh.jsonc", directory: bare.directory, live: live)
        let found = await LiveDiagnostics.compute(for: try #require(configured.snapshot), live: live)
        #expect(found?.map(\.code) == [.registryUnavailable])
        #expect(found?.first?.message.contains("NOPE") == true)
    }
}
