import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax
import Testing

@testable import MeshLanguageServer

/// Registry records are written by other programs: whatever numbers they hold, hover and
/// code lens render them instead of trapping.
@Suite("live text with absurd registry data")
struct LiveHealthTextTests {
    @Test("huge, infinite and NaN figures render")
    func absurdFigures() {
        let config = MeshDocument.analyze(
            SourceText(#"{"services": {"s": {"endpoints": ["https://a.example.com", "https://b.example.com"]}}}"#)
        ).config
        let snapshot = HealthSnapshot(records: [
            "s": [
                "https://a.example.com": EndpointHealth(status: .healthy, latencyMs: 1e300, ageSeconds: .nan),
                "https://b.example.com": EndpointHealth(status: .degraded, latencyMs: .infinity, ageSeconds: .infinity),
            ]
        ])
        let text = LiveHealthText.serviceSection(
            service: "s", endpoints: config.services.first?.endpoints,
            answer: .value(snapshot, fetchedAt: 100), registry: "test", now: 100)
        #expect(text.contains("p50 1e+300 ms"))
        #expect(text.contains("p50 inf ms"))
        #expect(LiveChecks.describeAge(.nan) == "at an unknown time")
        #expect(LiveChecks.describeAge(-.infinity) == "at an unknown time")
        #expect(LiveChecks.describeAge(.infinity).hasSuffix("d ago"))
        #expect(LiveChecks.describeAge(-5) == "just now")
    }

    @Test("split weights whose sum overflows still give a lens")
    func hugeWeights() throws {
        let text =
            #"{"services": {"a": {"endpoints": ["https://a.example.com"]}, "b": {"endpoints": "#
            + #"["https://b.example.com"]}}, "routing": {"rules": [{"path": "/", "split": [{"service": "a", "#
            + #""weight": 1e308}, {"service": "b", "weight": 1e308}]}]}}"#
        let analysis = DocumentAnalysis(source: SourceText(text), dialectName: "mesh.jsonc")
        let lenses = CodeLenses.lenses(for: analysis, health: .none)
        #expect(lenses.map(\.title).contains("-> a 50% | b 50%"))
    }
}
