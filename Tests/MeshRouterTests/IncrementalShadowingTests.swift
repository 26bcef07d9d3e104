import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Incremental analysis (issue 14): a config analysed with the previous version's shadow
/// analysis gives exactly what a from-scratch analysis gives, after every step of random
/// edit sequences, and the reuse really happens.
@Suite("Incremental shadow analysis")
struct IncrementalShadowingTests {
    /// One version of the edited config: rule objects as text, plus a service edit count
    /// and whether a syntax error is in.
    struct Version {
        var rules: [String]
        var timeout = 1000
        var broken = false

        var text: String {
            let rules = self.rules.joined(separator: ",\n")
            return "{\"services\": {\"s\": {\"endpoints\": [\"https://s.example.com\"], \"timeout\": \(timeout)}},\n"
                + "\"routing\": {\"rules\": [\n\(rules)\n]}\(broken ? " ," : "")}"
        }
    }

    static func randomRule(_ random: inout SeededRandom) -> String {
        let methods = ["", "\"methods\": [\"GET\"]", "\"methods\": [\"GET\", \"POST\"]", "\"host\": \"*.example.com\""]
        return ShadowSupport.rule(
            ShadowSupport.randomPattern(&random), methods[random.nextIndex(below: methods.count)])
    }

    /// Applies one random edit: a rule replaced, inserted, removed or moved, a service
    /// changed, or a syntax error added or taken away.
    static func edit(_ version: inout Version, _ random: inout SeededRandom) {
        let count = version.rules.count
        switch random.nextIndex(below: 7) {
        case 0 where count > 0, 1 where count > 0: version.rules[random.nextIndex(below: count)] = randomRule(&random)
        case 2: version.rules.insert(randomRule(&random), at: random.nextIndex(below: count + 1))
        case 3 where count > 1: version.rules.remove(at: random.nextIndex(below: count))
        case 4 where count > 1: version.rules.append(version.rules.remove(at: random.nextIndex(below: count)))
        case 5: version.timeout += 100
        case 6: version.broken.toggle()
        default: version.rules.append(randomRule(&random))
        }
    }

    @Test("equals a from-scratch analysis after every edit", arguments: [1, 2, 3, 4, 5])
    func equalsFromScratch(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var version = Version(rules: (0..<12).map { _ in Self.randomRule(&random) })
        var memo: ShadowMemo?
        var reusedSteps = 0
        for step in 0..<60 {
            Self.edit(&version, &random)
            let source = SourceText(version.text)
            let incremental = ConfigAnalysis(source, path: "mesh.jsonc", previous: AnalysisMemo(shadowing: memo))
            let scratch = ConfigAnalysis(source, path: "mesh.jsonc")
            #expect(incremental.diagnostics == scratch.diagnostics, "step \(step) of seed \(seed)")
            #expect(incremental.shadowing?.findings == scratch.shadowing?.findings, "step \(step) of seed \(seed)")
            if let shadowing = incremental.shadowing, shadowing.checkedRules < version.rules.count {
                reusedSteps += 1
            }
            // As the language server does: a version that could not be analysed passes on
            // the older analysis.
            memo = incremental.shadowing ?? memo
        }
        #expect(reusedSteps > 10, "the previous analysis was reused in \(reusedSteps) of 60 steps")
    }

    @Test("an edit to the last rule checks only that rule; a service edit checks none")
    func reuseIsProportionalToTheEdit() throws {
        var version = Version(
            rules: (0..<50).map { ShadowSupport.rule("/api/v\($0)/*") } + [ShadowSupport.rule("/api/v3/x")])
        let first = try #require(ConfigAnalysis(SourceText(version.text), path: "mesh.jsonc").shadowing)
        #expect(first.checkedRules == 51)
        #expect(first.findings.map(\.rule) == [50])
        version.rules[50] = ShadowSupport.rule("/api/v4/y")
        let second = try #require(
            ConfigAnalysis(SourceText(version.text), path: "mesh.jsonc", previous: AnalysisMemo(shadowing: first))
                .shadowing)
        #expect(second.checkedRules == 1)
        #expect(second.findings.map(\.earlierRule) == [4])
        version.timeout = 2000
        let third = try #require(
            ConfigAnalysis(SourceText(version.text), path: "mesh.jsonc", previous: AnalysisMemo(shadowing: second))
                .shadowing)
        #expect(third.checkedRules == 0)
        #expect(third.findings == second.findings)
    }
}
