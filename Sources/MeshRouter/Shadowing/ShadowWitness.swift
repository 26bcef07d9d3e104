import MeshConfig
import MeshSyntax

/// Finds a request that a shadowed rule B accepts and that the router sends to the rule A
/// that covers it, confirming it with the route table itself.
///
/// A covers every request of B, but rules before A may take some of them. The search is a
/// small refinement loop: pick the non-path parts of the request from B's matchers, take a
/// shortest path of B avoiding the patterns excluded so far, route the request, and if an
/// earlier rule C took it, exclude C's pattern (C accepts these non-path parts, so every
/// witness with them must avoid C's paths) and try again. Each round excludes a new rule,
/// so it ends; a few choices of method, host and geo values are tried in turn.
struct ShadowWitness {
    let table: RouteTable

    /// Rounds of exclusion per choice of non-path parts before moving to the next choice.
    static let roundsPerChoice = 32
    /// Choices of non-path parts tried.
    static let choiceLimit = 24
    /// Product states one path search may explore (the excluded patterns multiply).
    static let searchBudget = 200_000

    /// The outcome: the request and the position of the rule the router sends it to.
    struct Found {
        var request: RouteRequest
        var route: Int
    }

    /// A request B accepts that routes to `shadowing`; failing that (every request of B
    /// that A would take is taken by rules even earlier), a request B and A accept and
    /// the rule it routes to. Nil when no request could be confirmed at all.
    func find(shadowed: Int, shadowing: Int, pattern: PathPattern) -> Found? {
        let inner = table.compiled[shadowed]
        let outer = table.compiled[shadowing]
        var fallback: Found?
        for parts in Self.choices(for: inner).prefix(Self.choiceLimit) {
            var excluded: [PathPattern] = []
            for _ in 0..<Self.roundsPerChoice {
                guard let path = PatternInclusion.path(in: pattern, avoiding: excluded, budget: Self.searchBudget),
                    let request = parts.request(path: path),
                    inner.matches(request), outer.matches(request),
                    let route = table.firstMatch(request)
                else { break }
                if route == shadowing { return Found(request: request, route: route) }
                if fallback == nil, route < shadowing { fallback = Found(request: request, route: route) }
                guard route < shadowing, let taken = table.compiled[route].pattern else { break }
                excluded.append(taken)
            }
        }
        return fallback
    }

    /// The non-path parts of a witness request.
    struct Parts {
        var method: String
        var host: String
        var headers: [(String, String)]
        var cf: GeoContext

        func request(path: String) -> RouteRequest? {
            guard
                case .success(let request) = RouteRequest.make(
                    method: method, url: "https://\(host)\(path)", headers: headers, cf: cf)
            else {
                return nil
            }
            // The path must reach the router unchanged, or the witness would prove nothing.
            return request.path == path ? request : nil
        }
    }

    /// Candidate non-path parts taken from B's matchers, most readable first: B's own
    /// methods (else common ones), B's host (a subdomain for a wildcard, else
    /// `example.com`), the header values B requires, and B's geo values.
    static func choices(for rule: CompiledRule) -> [Parts] {
        var methods: [String] = []
        // In the order the rule writes them, so the witness uses the first listed method.
        for method in (rule.rule.methods ?? []).map({ $0.value.asciiUppercased }) where !methods.contains(method) {
            methods.append(method)
        }
        if rule.methods == nil { methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] }
        let hosts: [String]
        if let host = rule.host {
            hosts = host.isWildcard ? ["www", "x"].map { $0 + host.pattern.dropFirst() } : [host.pattern]
        } else {
            hosts = ["example.com", "example.net"]
        }
        var headers: [(String, String)] = []
        for requirement in rule.headers where !headers.contains(where: { $0.0 == requirement.name }) {
            switch requirement.condition {
            case .equals(let value): headers.append((requirement.name, value))
            case .present:
                headers.append(
                    (
                        requirement.name,
                        rule.headers.lazy.compactMap(Self.equalsValue(for: requirement.name)).first ?? "1"
                    ))
            case .absent: continue
            }
        }
        let continents: [String?] = rule.geo?.continents?.map(Optional.some) ?? [nil]
        let countries: [String?] = rule.geo?.countries?.map(Optional.some) ?? [nil]
        let colos: [String?] = rule.geo?.colos?.map(Optional.some) ?? [nil]
        var result: [Parts] = []
        // Geo values vary fastest: a request from another country often escapes an
        // earlier geo rule while keeping B's method.
        outer: for method in methods {
            for host in hosts {
                for continent in continents {
                    for country in countries {
                        for colo in colos {
                            result.append(
                                Parts(
                                    method: method, host: host, headers: headers,
                                    cf: GeoContext(colo: colo, country: country, continent: continent)))
                            if result.count >= choiceLimit { break outer }
                        }
                    }
                }
            }
        }
        return result
    }

    private static func equalsValue(for name: String) -> (HeaderRequirement) -> String? {
        { requirement in
            guard requirement.name == name, case .equals(let value) = requirement.condition else { return nil }
            return value
        }
    }
}
