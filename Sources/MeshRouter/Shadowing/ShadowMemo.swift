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
///
/// The config's own values are kept (which costs a retain each, where copying the texts
/// out into new arrays cost allocations for every rule of every version), and equality
/// compares their texts only, never their source ranges.
struct RuleMatchers: Equatable, Sendable {
    private let path: String?
    private let methods: [Located<String>]?
    private let host: String?
    private let headers: [HeaderMatch]
    private let geo: GeoMatch?

    init(_ rule: Rule) {
        path = rule.path?.value
        methods = rule.methods
        host = rule.host?.value
        headers = rule.headers
        geo = rule.geo
    }

    static func == (first: RuleMatchers, second: RuleMatchers) -> Bool {
        first.path == second.path && first.host == second.host
            && sameTexts(first.methods, second.methods)
            && first.headers.count == second.headers.count
            && zip(first.headers, second.headers).allSatisfy {
                $0.name.value == $1.name.value && $0.condition.value == $1.condition.value
            }
            && sameTexts(first.geo?.continents, second.geo?.continents)
            && sameTexts(first.geo?.countries, second.geo?.countries)
            && sameTexts(first.geo?.colos, second.geo?.colos)
    }

    /// Whether both lists are absent, or present with the same texts in the same order.
    private static func sameTexts(_ first: [Located<String>]?, _ second: [Located<String>]?) -> Bool {
        guard let first, let second else { return first == nil && second == nil }
        return first.count == second.count && zip(first, second).allSatisfy { $0.value == $1.value }
    }
}
