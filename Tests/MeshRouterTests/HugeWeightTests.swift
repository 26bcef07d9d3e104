import MeshConfig
import MeshSyntax
import Testing

@testable import MeshRouter

/// Weights near the top of the double range: their sums must stay finite, and ordinary
/// weights must give exactly what they gave before scaling existed.
@Suite("huge weights")
struct HugeWeightTests {
    private func config(_ text: String) -> MeshConfig {
        MeshDocument.analyze(SourceText(text), path: "diddy-mesh.jsonc").config
    }

    @Test("a split of 1e308 and 1e308 is 50/50, and 3e307 : 1e307 is 75/25")
    func splits() throws {
        for (weights, expected) in [(["1e308", "1e308"], [0.5, 0.5]), (["3e307", "1e307"], [0.75, 0.25])] {
            let mesh = config(
                #"{"services": {"a": {}, "b": {}}, "routing": {"rules": [{"path": "/", "split": [{"service": "a", "#
                    + #""weight": \#(weights[0])}, {"service": "b", "weight": \#(weights[1])}]}]}}"#
            )
            let rule = try #require(mesh.routing.rules.first)
            let probabilities = SplitSelection.branches(of: rule).map(\.probability)
            #expect(probabilities.count == 2)
            for (got, want) in zip(probabilities, expected) {
                #expect(abs(got - want) < 1e-12, "\(weights): \(probabilities)")
            }
        }
    }

    @Test("smooth weighted round-robin alternates between two 1e308 weights")
    func smoothWeighted() {
        let state = RouterState()
        let picks = (0..<6).compactMap { _ in state.nextSmoothWeighted("s", ids: ["a", "b"], weights: [1e308, 1e308]) }
        #expect(picks == [0, 1, 0, 1, 0, 1])
        let uneven = (0..<4).compactMap { _ in
            state.nextSmoothWeighted("t", ids: ["a", "b"], weights: [1.5e308, 0.5e308])
        }
        #expect(uneven.filter { $0 == 0 }.count == 3)
    }

    @Test("ordinary weights are not rescaled")
    func ordinary() {
        #expect(WeightScale(largest: 1e280).apply(7) == 7, "2^960 (about 9.7e288) is where scaling starts")
        #expect(WeightScale([5, 1, 1]).apply(5) == 5)
        #expect(WeightScale(largest: 1e308).apply(1e308) < 1e300)
        #expect(WeightScale(largest: .infinity).apply(3) == 3)
    }
}
