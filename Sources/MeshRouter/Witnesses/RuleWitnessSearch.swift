import MeshConfig
import MeshSyntax

/// The search behind ``RuleWitnesses``: relevant earlier rules, request classes,
/// examples by exclusion rounds, then a witness for each earlier rule that takes part of
/// the target's requests.
struct RuleWitnessSearch {
    let table: RouteTable
    /// The rule reported on; nil for requests that no rule matches.
    let target: Int?
    let limits: RuleWitnesses.Limits
    let requiredHeaders: [(String, String)]
    /// Path searches still allowed.
    private var searchesLeft: Int

    init(table: RouteTable, target: Int?, limits: RuleWitnesses.Limits, requiredHeaders: [(String, String)]) {
        self.table = table
        self.target = target
        self.limits = limits
        self.requiredHeaders = requiredHeaders
        searchesLeft = limits.searches
    }

    /// How one class's exclusion rounds ended.
    enum Rounds {
        /// A request that reaches the goal.
        case reached(RouteRequest)
        /// Proven: no path with these parts reaches the goal.
        case closed
        /// A limit ran out.
        case inconclusive
    }

    mutating func run() -> RuleWitnessReport {
        var report = RuleWitnessReport(
            rule: target, examples: [], takers: [], reach: .undetermined, takersComplete: true)
        let bound = target ?? table.compiled.count
        var required: [CompiledRule] = []
        // Without a target rule, any path: a trailing `*` after the leading `/`.
        var patterns = [
            PathPattern(source: "/*", items: [.literal([UInt8(ascii: "/")]), .rest], literalPrefixSegments: [])
        ]
        if let target {
            let rule = table.compiled[target]
            guard let pattern = rule.pattern else {
                report.reach = .unreachable(.noPattern)
                return report
            }
            required = [rule]
            patterns = [pattern]
        }
        switch search(patterns, avoiding: []) {
        case .none:
            report.reach = .unreachable(.noPath)
            return report
        case .exhausted:
            report.takersComplete = false
            return report
        case .found:
            break
        }

        // Only earlier rules that can meet the target's requests can take any of them.
        var relevant: [Int] = []
        for position in 0..<bound {
            let other = table.compiled[position]
            guard let pattern = other.pattern else { continue }
            if let rule = required.first {
                guard Self.mayShareRequests(rule, other) else { continue }
                if let mine = patterns.first, searchesLeft > 0 {
                    searchesLeft -= 1
                    guard WitnessPathSearch.mayIntersect(mine, pattern, budget: limits.searchBudget) else { continue }
                }
            }
            relevant.append(position)
        }
        let classes = RequestClasses(
            required: required, distinguishing: relevant.map { table.compiled[$0] },
            fixedHeaders: requiredHeaders, limit: limits.combinations)
        if classes.representatives.isEmpty {
            report.reach = classes.isComplete ? .unreachable(.noRequest) : .undetermined
            report.takersComplete = classes.isComplete
            return report
        }

        // Examples: one per class, then more paths of the first class that had one.
        var takers: [Int: RouteRequest] = [:]
        var allClosed = classes.isComplete
        var productive: (parts: RequestParts, excluded: [PathPattern])?
        let wanted = max(1, limits.examples)
        for representative in classes.representatives where report.examples.count < wanted {
            var excluded: [PathPattern] = []
            switch rounds(representative.parts, patterns: patterns, excluded: &excluded, goal: target, takers: &takers)
            {
            case .reached(let request):
                report.examples.append(request)
                if productive == nil { productive = (representative.parts, excluded) }
            case .closed:
                continue
            case .inconclusive:
                allClosed = false
            }
        }
        if let productive {
            morePaths(
                of: productive.parts, patterns: patterns, excluded: productive.excluded, wanted: wanted,
                into: &report.examples, takers: &takers)
        }
        report.examples = Array(report.examples.prefix(limits.examples))
        if !report.examples.isEmpty || productive != nil {
            report.reach = .reachable
        } else {
            report.reach = allClosed ? .unreachable(.takenByEarlierRules) : .undetermined
        }

        // Takers: for each relevant earlier rule not met yet, a request of both rules that
        // the router sends to it, class by class.
        guard target != nil, limits.takers > 0 else {
            // Not searched for, so not known to be complete.
            report.takersComplete = false
            return report
        }
        var complete = classes.isComplete
        for (index, position) in relevant.enumerated() where takers[position] == nil {
            if takers.keys.filter({ $0 < position }).count >= limits.takers {
                complete = false
                break
            }
            guard let pattern = table.compiled[position].pattern else { continue }
            for representative in classes.representatives where representative.accepts[index] {
                var excluded: [PathPattern] = []
                switch rounds(
                    representative.parts, patterns: patterns + [pattern], excluded: &excluded, goal: position,
                    takers: &takers)
                {
                case .reached(let request):
                    takers[position] = request
                case .closed:
                    continue
                case .inconclusive:
                    complete = false
                    continue
                }
                break
            }
        }
        let sorted = takers.keys.sorted()
        if sorted.count > limits.takers { complete = false }
        report.takers = sorted.prefix(limits.takers).compactMap { position in
            takers[position].map { RuleTaker(rule: position, witness: $0) }
        }
        report.takersComplete = complete
        return report
    }

    /// Exclusion rounds for one class: route a shortest path with `parts` that every
    /// pattern of `patterns` matches and none of `excluded` does; while an earlier rule
    /// takes it, note that rule in `takers` and exclude its pattern (it accepts these
    /// parts, so it would take every path of its pattern).
    mutating func rounds(
        _ parts: RequestParts, patterns: [PathPattern], excluded: inout [PathPattern], goal: Int?,
        takers: inout [Int: RouteRequest]
    ) -> Rounds {
        for _ in 0..<limits.rounds {
            switch search(patterns, avoiding: excluded) {
            case .none:
                return .closed
            case .exhausted:
                return .inconclusive
            case .found(let path):
                guard let request = parts.request(path: path) else { return .inconclusive }
                let route = table.firstMatch(request)
                if route == goal { return .reached(request) }
                // The request matches the goal, so only an earlier rule can take it.
                guard let route, goal.map({ route < $0 }) ?? true, let taken = table.compiled[route].pattern else {
                    return .inconclusive
                }
                // A request of the target that an earlier rule takes witnesses that rule.
                if let target, route < target, table.compiled[target].matches(request), takers[route] == nil {
                    takers[route] = request
                }
                excluded.append(taken)
            }
        }
        return .inconclusive
    }

    /// Further examples with the same parts and other paths, skipping paths with an empty
    /// segment (`/a//`), which read like typing errors.
    mutating func morePaths(
        of parts: RequestParts, patterns: [PathPattern], excluded: [PathPattern], wanted: Int,
        into examples: inout [RouteRequest], takers: inout [Int: RouteRequest]
    ) {
        var seen = examples.filter { $0.host == parts.host && $0.method == parts.method }.map { $0.path }
        var attempts = 0
        while examples.count < wanted, attempts < 2 * wanted {
            attempts += 1
            var avoided = excluded + seen.map(WitnessPathSearch.exactly)
            guard
                case .reached(let request) = rounds(
                    parts, patterns: patterns, excluded: &avoided, goal: target, takers: &takers)
            else { return }
            seen.append(request.path)
            // Two "/" characters in a row; `String.contains("//")` comes from _StringProcessing,
            // which Embedded Swift does not have.
            if !zip(request.path, request.path.dropFirst()).contains(where: { $0 == "/" && $1 == "/" }) {
                examples.append(request)
            }
        }
    }

    /// One counted path search; `.exhausted` once the searches are used up.
    mutating func search(_ patterns: [PathPattern], avoiding excluded: [PathPattern]) -> WitnessPathSearch.Outcome {
        guard searchesLeft > 0 else { return .exhausted }
        searchesLeft -= 1
        return WitnessPathSearch.path(in: patterns, avoiding: excluded, budget: limits.searchBudget)
    }

    /// False only when the two rules' method, host, header or geo matchers cannot accept
    /// the same request; a cheap filter before the path automata, never a verdict.
    static func mayShareRequests(_ first: CompiledRule, _ second: CompiledRule) -> Bool {
        if let mine = first.methods, let theirs = second.methods, mine.isDisjoint(with: theirs) { return false }
        if let mine = first.host, let theirs = second.host, !hostsMeet(mine, theirs) { return false }
        for mine in first.headers {
            for theirs in second.headers where theirs.name == mine.name {
                switch (mine.condition, theirs.condition) {
                case (.equals(let one), .equals(let other)) where one != other: return false
                case (.absent, .equals), (.absent, .present), (.equals, .absent), (.present, .absent): return false
                default: continue
                }
            }
        }
        if let mine = first.geo, let theirs = second.geo {
            let fields: [(GeoRequirement) -> [String]?] = [{ $0.continents }, { $0.countries }, { $0.colos }]
            for field in fields {
                if let one = field(mine), let other = field(theirs), Set(one).isDisjoint(with: other) {
                    return false
                }
            }
        }
        return true
    }

    /// Whether some host satisfies both host matchers.
    static func hostsMeet(_ first: HostMatcher, _ second: HostMatcher) -> Bool {
        switch (first.isWildcard, second.isWildcard) {
        case (false, false): return first.pattern == second.pattern
        case (false, true): return second.matches(first.pattern)
        case (true, false): return first.matches(second.pattern)
        case (true, true):
            let one = first.pattern.dropFirst()
            let other = second.pattern.dropFirst()
            return one.hasSuffix(other) || other.hasSuffix(one)
        }
    }
}
