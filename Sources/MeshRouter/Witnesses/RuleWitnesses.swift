/// What reaches one rule: requests the router really sends to it, the earlier rules that
/// take the rest of its requests (each with a request the router sends there), and
/// whether the rule can be reached at all.
public struct RuleWitnessReport: Sendable, Hashable {
    /// Whether any request reaches the rule.
    public enum Reach: Sendable, Hashable {
        /// ``RuleWitnessReport/examples`` holds at least one request that routes here.
        case reachable
        /// Proven: no request routes here, for the reason given.
        case unreachable(UnreachableReason)
        /// The search limits ran out before a request was found or the rule was proven
        /// unreachable.
        case undetermined
    }

    /// Why no request reaches a rule.
    public enum UnreachableReason: String, Sendable, Hashable {
        /// The rule's `path` is missing or invalid (it never matches).
        case noPattern = "its path is missing or invalid"
        /// No normalized path matches the pattern (a dot segment, or a byte normalization
        /// always percent-encodes).
        case noPath = "no normalized path matches its pattern"
        /// Its other matchers accept no request (an empty list, contradictory headers).
        case noRequest = "its matchers accept no request"
        /// Earlier rules take every request it matches.
        case takenByEarlierRules = "earlier rules take every request it matches"
    }

    /// The rule's position in ``RouteTable/compiled``; nil for the report on requests that
    /// no rule matches (`routing.default`).
    public var rule: Int?
    /// Requests the router sends to the rule, each confirmed on the table, most readable
    /// first and differing in their method, host, headers or geo fields where the rules
    /// tell such requests apart.
    public var examples: [RouteRequest]
    /// The earlier rules that take some of the rule's requests, in document order, each
    /// with a request the rule matches and the router sends to that earlier rule.
    public var takers: [RuleTaker]
    /// Whether any request reaches the rule.
    public var reach: Reach
    /// Whether ``takers`` names every earlier rule that takes some of the rule's
    /// requests (false when the taker limit or the search limits cut the list short, or
    /// when takers were not searched for, as in ``RuleWitnesses/unmatched(in:limits:requiredHeaders:)``).
    public var takersComplete: Bool
}

/// An earlier rule that takes some requests of a later one.
public struct RuleTaker: Sendable, Hashable {
    /// The earlier rule's position in ``RouteTable/compiled``.
    public var rule: Int
    /// A request the later rule matches and the router sends to ``rule``.
    public var witness: RouteRequest
}

/// Witness requests for rules, found exactly on the route table.
///
/// A rule B is reached by a request when B matches it and no earlier rule does. The
/// search splits requests into their non-path parts and their path. The non-path parts
/// fall into finitely many classes that no relevant rule tells apart (``RequestClasses``;
/// the relevant rules are the earlier ones whose pattern and matchers can meet B's). For
/// each class, a shortest path of B's pattern is routed; when an earlier rule C takes
/// it, C accepts every request of that class, so C's pattern is excluded and the search
/// goes on (the refinement of ``ShadowWitness``). A class ends with a request that
/// reaches B, or with the proof that no path is left. So B is proven unreachable exactly
/// when every class was represented and closed, which covers shadowing by one rule
/// (DM402) and by several rules together. Every request returned was confirmed with
/// ``RouteTable/firstMatch(_:)``.
///
/// Cost: one small automaton search per relevant earlier rule to find the relevant ones,
/// then at most `rounds` searches per class; ``Limits`` bounds the classes, each search's
/// product states and the number of searches, and results say when a limit was hit.
public enum RuleWitnesses {
    /// Bounds on the work of one report.
    public struct Limits: Sendable, Hashable {
        /// Examples to return.
        public var examples: Int
        /// Earlier rules to name; 0 skips the search for them.
        public var takers: Int
        /// Combinations of non-path values tried to find the classes.
        public var combinations = 1024
        /// Exclusion rounds per class.
        public var rounds = 64
        /// Product states one path search may explore.
        public var searchBudget = 100_000
        /// Path searches in all.
        public var searches = 5000

        /// Limits returning up to `examples` examples and naming up to `takers` rules.
        public init(examples: Int = 3, takers: Int = 100) {
            self.examples = examples
            self.takers = takers
        }
    }

    /// The report for the rule at `position` in `table.compiled`. `requiredHeaders` are
    /// carried by every example (a sticky split key, say); examples only exist then when
    /// the rule accepts them.
    public static func report(
        rule position: Int, in table: RouteTable, limits: Limits = Limits(),
        requiredHeaders: [(String, String)] = []
    ) -> RuleWitnessReport {
        guard table.compiled.indices.contains(position) else {
            return RuleWitnessReport(
                rule: position, examples: [], takers: [], reach: .unreachable(.noPattern), takersComplete: true)
        }
        var search = RuleWitnessSearch(table: table, target: position, limits: limits, requiredHeaders: requiredHeaders)
        return search.run()
    }

    /// Requests that no rule matches, which `routing.default` (or "no route") answers;
    /// ``RuleWitnessReport/takers`` stays empty.
    public static func unmatched(
        in table: RouteTable, limits: Limits = Limits(), requiredHeaders: [(String, String)] = []
    ) -> RuleWitnessReport {
        var limits = limits
        limits.takers = 0
        var search = RuleWitnessSearch(table: table, target: nil, limits: limits, requiredHeaders: requiredHeaders)
        return search.run()
    }
}
