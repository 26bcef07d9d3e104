import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Incremental analysis (issue 14) of whole configs: random edit sequences (typed and
/// deleted characters anywhere, services changed, added, duplicated and renamed, rules
/// changed) analysed with the previous version's ``AnalysisMemo`` give exactly what a
/// from-scratch analysis gives (diagnostics, the typed model, shadow findings) at every
/// step, and the services that did not change are really reused.
@Suite("Incremental analysis")
struct IncrementalAnalysisTests {
    static let fragments = ["{", "}", "[", "]", "\"", ",", ":", "0", "a", " ", "\n", "http://", "-1", "true"]

    /// A service with every kind of field, so that a field the reuse forgets to move
    /// shows up as a model that differs from a fresh build.
    static func service(_ index: Int, timeout: Int = 1000) -> String {
        """
            "svc-\(index)": {
              "endpoints": [
                { "url": "https://svc-\(index)-a.example.com", "region": "WEU", "continent": "EU", "weight": 3,
                  "location": { "lat": 50.1, "lon": 8.6 } },
                "http\(index % 3 == 0 ? "" : "s")://svc-\(index)-b.example.com",
                { "url": "https://svc-\(index)-a.example.com", "id": "dup-\(index % 2)" },
                "http\(index % 3 == 0 ? "" : "s")://svc-\(index)-b.example.com/"
              ],
              "healthCheck": { "path": "/health", "interval": 10000, "timeout": 2000, "expectStatus": "2xx" },
              "timeout": \(timeout),
              "retries": { "attempts": 2, "backoff": { "base": 100, "max": 2000 }, "retryOn": ["5xx"] },
              "loadBalancer": { "strategy": "weighted", "seed": 7 },
              "circuitBreaker": { "failureThreshold": 5, "resetTimeout": 30000 },
              "fallback": \(index % 2 == 0 ? "\"svc-0\"" : "{ \"status\": 503, \"body\": \"down\" }"),
              "version": "1.\(index)",
              "auth": { "mode": "allow", "allow": ["svc-0"] },
              "unknownKey\(index % 4)": true
            }
        """
    }

    /// A rule with every kind of field, for the same reason.
    static func rule(_ index: Int) -> String {
        """
            { "name": "r-\(index)", "path": "/api/\(index % 5)/*", "methods": ["GET", "POST"], "host": "x.example",
              "headers": { "x-canary": "1", "x-debug": true }, "geo": { "continents": ["EU"], "countries": ["DE"] },
              "split": [{ "service": "svc-\(index % 7)", "weight": 90 }, { "service": "svc-1", "weight": 10 }],
              "stickyBy": "cookie:session", "stripPrefix": "/api", "timeout": \(100 + index),
              "retries": { "attempts": \(index % 3) } }
        """
    }

    static func config(services: [String], rules: [String]) -> String {
        """
        {
          "version": 1,
          "mesh": { "name": "incremental", "defaults": { "timeout": 5000 } },
          "services": {
        \(services.joined(separator: ",\n"))
          },
          "routing": { "rules": [
        \(rules.joined(separator: ",\n"))
          ] }
        }
        """
    }

    @Test("equals a from-scratch analysis after every edit", arguments: [1, 2, 3, 4, 5, 6])
    func equalsFromScratch(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var services = (0..<8).map { Self.service($0) }
        var rules = (0..<6).map { "    { \"path\": \"/api/\($0)/*\", \"service\": \"svc-\($0)\" }" }
        rules.insert(Self.rule(100), at: 2)
        rules.append(Self.rule(101))
        var text = Self.config(services: services, rules: rules)
        var memo: AnalysisMemo?
        var reused = 0
        var rulesReused = 0
        for step in 0..<70 {
            var bytes = Array(text.utf8)
            switch random.nextIndex(below: 8) {
            case 0, 1:
                // A character typed anywhere, often breaking the syntax.
                let fragment = Self.fragments[random.nextIndex(below: Self.fragments.count)]
                bytes.insert(contentsOf: Array(fragment.utf8), at: random.nextIndex(below: bytes.count + 1))
                text = String(decoding: bytes, as: UTF8.self)
            case 2:
                let start = random.nextIndex(below: bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.nextIndex(below: 3)))
                text = String(decoding: bytes, as: UTF8.self)
            case 3:
                services[random.nextIndex(below: services.count)] = Self.service(
                    random.nextIndex(below: 20), timeout: 100 * random.nextIndex(below: 400))
                text = Self.config(services: services, rules: rules)
            case 4:
                services.insert(Self.service(services.count + step), at: random.nextIndex(below: services.count + 1))
                text = Self.config(services: services, rules: rules)
            case 5:
                // The same service written twice: one entry serves both.
                services.append(services[random.nextIndex(below: services.count)])
                text = Self.config(services: services, rules: rules)
            case 6:
                // Valid and invalid patterns (DM401), so that the pattern memo is tried both ways.
                let paths = ["/api/\(step % 4)/*", "/api/:\(step % 3)", "/api/x*/y", "/api/:id/:id"]
                let path = paths[random.nextIndex(below: paths.count)]
                rules[random.nextIndex(below: rules.count)] =
                    "    { \"path\": \"\(path)\", \"service\": \"svc-\(step % 9)\" }"
                text = Self.config(services: services, rules: rules)
            case 7:
                // A full rule inserted anywhere, renumbering the rules after it.
                rules.insert(Self.rule(step), at: random.nextIndex(below: rules.count + 1))
                text = Self.config(services: services, rules: rules)
            default:
                text = Self.config(services: services, rules: rules)
            }
            let source = SourceText(text)
            let incremental = ConfigAnalysis(source, path: "mesh.jsonc", previous: memo, keepingMemo: true)
            let scratch = ConfigAnalysis(source, path: "mesh.jsonc")
            #expect(incremental.diagnostics == scratch.diagnostics, "step \(step) of seed \(seed)")
            #expect(incremental.document.config == scratch.document.config, "step \(step) of seed \(seed)")
            #expect(incremental.shadowing?.findings == scratch.shadowing?.findings, "step \(step) of seed \(seed)")
            reused += incremental.document.pieces?.reused ?? 0
            rulesReused += incremental.document.pieces?.rulesReused ?? 0
            memo = incremental.memo.filled(from: memo)
        }
        #expect(reused > 100, "services reused over the 70 steps: \(reused)")
        #expect(rulesReused > 100, "rules reused over the 70 steps: \(rulesReused)")
    }

    @Test("an edit inside one service computes that service only")
    func oneServiceComputed() {
        var services = (0..<30).map { Self.service($0) }
        let rules = ["    { \"path\": \"/a/*\", \"service\": \"svc-1\" }"]
        let first = ConfigAnalysis(
            SourceText(Self.config(services: services, rules: rules)), path: "mesh.jsonc", keepingMemo: true)
        #expect(first.document.pieces?.computed == 30)
        services[12] = Self.service(12, timeout: 1234)
        let second = ConfigAnalysis(
            SourceText(Self.config(services: services, rules: rules)), path: "mesh.jsonc", previous: first.memo,
            keepingMemo: true)
        #expect(second.document.pieces?.computed == 1)
        #expect(second.document.pieces?.reused == 29)
        #expect(second.document.pieces?.rulesReused == 1)
        #expect(second.document.pieces?.rulesComputed == 0)
        #expect(second.document.config.services[12].policies.timeout?.value == 1234)
        // The endpoint findings of the 29 reused services come from the cache, moved.
        let scratch = ConfigAnalysis(SourceText(Self.config(services: services, rules: rules)), path: "mesh.jsonc")
        #expect(second.diagnostics.filter { $0.code == .duplicateEndpoint }.count == 30)
        #expect(second.diagnostics == scratch.diagnostics)
        // A one-off analysis keeps nothing.
        #expect(
            ConfigAnalysis(SourceText(Self.config(services: services, rules: rules)), path: "m.jsonc").memo.pieces
                == nil)
    }
}
