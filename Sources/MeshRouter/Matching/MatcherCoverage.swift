import MeshConfig
import MeshSyntax

/// The matchers of a compiled rule other than its path (methods, host, headers, geo), as
/// sets of requests that can be compared.
///
/// Each matcher constrains its own request field, so rule A's matchers accept every
/// request B's accept exactly when each of A's matchers is no narrower than B's on its
/// field (given that B's accept some request at all). The comparisons read the
/// normalized values of ``CompiledRule`` so they agree with the router by construction.
struct MatcherCoverage {
    let methods: Set<String>?
    let host: HostMatcher?
    /// The header conditions by lower-case name.
    let headers: [String: HeaderValues]
    let continents: Set<String>?
    let countries: Set<String>?
    let colos: Set<String>?

    /// What one header may be, after intersecting all of a rule's conditions on it.
    struct HeaderValues: Hashable {
        var equals: Set<String> = []
        var present = false
        var absent = false

        /// Whether some request satisfies every condition.
        var isSatisfiable: Bool {
            if absent { return !present && equals.isEmpty }
            return equals.count <= 1
        }

        /// Whether every value these conditions allow satisfies `condition`.
        func implies(_ condition: HeaderCondition) -> Bool {
            switch condition {
            case .equals(let value): equals == [value]
            case .present: present || !equals.isEmpty
            case .absent: absent
            }
        }
    }

    init(_ rule: CompiledRule) {
        methods = rule.methods.map { Set($0) }
        host = rule.host
        var headers: [String: HeaderValues] = [:]
        for requirement in rule.headers {
            switch requirement.condition {
            case .equals(let value): headers[requirement.name, default: HeaderValues()].equals.insert(value)
            case .present: headers[requirement.name, default: HeaderValues()].present = true
            case .absent: headers[requirement.name, default: HeaderValues()].absent = true
            }
        }
        self.headers = headers
        continents = rule.geo?.continents.map(Set.init)
        countries = rule.geo?.countries.map(Set.init)
        colos = rule.geo?.colos.map(Set.init)
    }

    /// Whether some request satisfies these matchers: an empty method or geo list, or
    /// contradictory header conditions, match nothing.
    var isSatisfiable: Bool {
        methods?.isEmpty != true && headers.values.allSatisfy { $0.isSatisfiable }
            && continents?.isEmpty != true && countries?.isEmpty != true && colos?.isEmpty != true
    }

    /// Whether every request these matchers accept is accepted by `outer`'s.
    func isCovered(by outer: MatcherCoverage) -> Bool {
        Self.subset(methods, of: outer.methods)
            && Self.host(host, isCoveredBy: outer.host)
            && outer.headers.allSatisfy { name, conditions in
                let mine = headers[name] ?? HeaderValues()
                return (conditions.present ? mine.implies(.present) : true)
                    && (conditions.absent ? mine.implies(.absent) : true)
                    && conditions.equals.allSatisfy { mine.implies(.equals($0)) }
            }
            && Self.subset(continents, of: outer.continents)
            && Self.subset(countries, of: outer.countries)
            && Self.subset(colos, of: outer.colos)
    }

    /// A constrained field is covered by an unconstrained one (nil: any value, unknown
    /// included) or by a superset; an unconstrained field only by an unconstrained one.
    private static func subset(_ inner: Set<String>?, of outer: Set<String>?) -> Bool {
        guard let outer else { return true }
        guard let inner else { return false }
        return inner.isSubset(of: outer)
    }

    /// `*.example.com` covers `api.example.com`, `*.eu.example.com` and itself, but not
    /// `example.com`; an exact host covers only itself.
    static func host(_ inner: HostMatcher?, isCoveredBy outer: HostMatcher?) -> Bool {
        guard let outer else { return true }
        guard let inner else { return false }
        // Bytes, as `HostMatcher` compares them (String comparison would apply Unicode
        // equivalence).
        let outerBytes = Array(outer.pattern.utf8)
        let innerBytes = Array(inner.pattern.utf8)
        guard outer.isWildcard else { return !inner.isWildcard && innerBytes == outerBytes }
        let suffix = outerBytes.dropFirst()
        let candidate = inner.isWildcard ? innerBytes.dropFirst() : innerBytes[...]
        guard candidate.count >= suffix.count, candidate.suffix(suffix.count).elementsEqual(suffix) else {
            return false
        }
        // An exact host needs a label before the suffix's dot; a wildcard already has one.
        return inner.isWildcard || candidate.count > suffix.count
    }
}
