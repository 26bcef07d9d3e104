import MeshConfig

/// What shadow analysis read of each rule and what it found, kept from one version of a
/// config so that the next version re-checks only the rules from the first one that
/// changed (docs/architecture.md, "Incremental analysis").
///
/// Why reuse is exact: a finding about rule i depends on rules 0...i only. Its candidates
/// are earlier rules, and its witness is confirmed on a route table whose first match for
/// a request that rule i accepts is at most i. So when rules 0..<k read the same as
/// before, their findings are the same, whatever changed after them; only rules k... are
/// checked again. Positions in the text do not matter: findings name rules by position in
/// `routing.rules`, and diagnostics are built from the current rules.
public struct ShadowMemo: Sendable {
    /// Per rule, what shadow analysis reads of it.
    let matchers: [RuleMatchers]
    /// The findings, in the order of the later rule.
    public let findings: [ShadowFinding]
    /// How many rules this run compared with earlier ones (the others were reused).
    public let checkedRules: Int

    /// The number of leading rules whose matchers are the same in `matchers`.
    func unchangedPrefix(_ current: [RuleMatchers]) -> Int {
        var count = 0
        while count < min(matchers.count, current.count), matchers[count] == current[count] { count += 1 }
        return count
    }
}

/// The parts of a rule that decide which requests it matches, without their positions:
/// everything ``CompiledRule`` compiles.
struct RuleMatchers: Hashable, Sendable {
    var path: String?
    var methods: [String]?
    var host: String?
    var headerNames: [String]
    var headerConditions: [HeaderCondition]
    var continents: [String]?
    var countries: [String]?
    var colos: [String]?

    init(_ rule: Rule) {
        path = rule.path?.value
        methods = rule.methods?.map { $0.value }
        host = rule.host?.value
        headerNames = rule.headers.map { $0.name.value }
        headerConditions = rule.headers.map { $0.condition.value }
        continents = rule.geo?.continents?.map { $0.value }
        countries = rule.geo?.countries?.map { $0.value }
        colos = rule.geo?.colos?.map { $0.value }
    }
}
