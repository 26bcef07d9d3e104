import MeshConfig
import MeshSyntax

/// The non-path parts of a request: what rules match besides the path.
struct RequestParts: Sendable, Hashable {
    var method: String
    var host: String
    /// Header values by lower-case name; a name left out is an absent header.
    var headers: [HeaderValue]
    var cf: GeoContext

    struct HeaderValue: Sendable, Hashable {
        var name: String
        var value: String
    }

    /// The request with these parts and `path`; nil when the router would see another
    /// path or the parts do not form a valid request (a rule may name a host or method
    /// that no request can carry).
    func request(path: String) -> RouteRequest? {
        let url = "https://\(host)\(path)"
        guard
            case .success(let request) = RouteRequest.make(
                method: method, url: url, headers: headers.map { ($0.name, $0.value) }, cf: cf),
            request.path == path, request.host == host
        else { return nil }
        // Header values are trimmed by the request; a value that changed would not be the
        // value the class stands for.
        for header in headers where request.headers[header.name] != header.value { return nil }
        return request
    }
}

extension CompiledRule {
    /// Whether the rule's method, host, header and geo matchers accept `request`, its path
    /// aside: the router's own matchers, so classes agree with routing by construction.
    func acceptsNonPath(_ request: RouteRequest) -> Bool {
        allowsMethod(request, bit: MethodBits.bit(request.method)) && (!hasConditions || matchesConditions(request))
    }
}

/// The non-path parts of requests, partitioned into classes that no rule in view tells
/// apart, with one readable representative per class.
///
/// Every rule in view (the `required` rules, which every representative satisfies, and
/// the `distinguishing` ones) looks at a request's method, host, headers and geo fields
/// only through comparisons with the values it names: a method in a list, an exact host
/// or a `*.suffix`, a header being absent or equal to a value, a geo code in a list. So
/// on each field the values a rule names, plus one value named by none ("fresh"), stand
/// for every value:
///
/// - method: each named method and one fresh method;
/// - host: each exact host named, `<label><suffix>` for each wildcard suffix (a fresh
///   label, so it is no exact host: its wildcard matches are exactly those of any host
///   whose longest matching suffix is that one), and a fresh host matching no rule;
/// - each header named by a rule: absent, each value named, a fresh value;
/// - each geo field: unknown, and each code named (an unnamed known code is rejected by
///   exactly the rules that reject an unknown one).
///
/// Representatives are the combinations of those values, tried with the fewest
/// departures from the most readable value first (`GET`, `example.com`, no headers,
/// unknown geo), and kept when the required rules accept them and the set of
/// distinguishing rules that accept them is new. The partition is complete when every
/// combination could be tried within the limit.
struct RequestClasses {
    /// One class: its representative and which distinguishing rules accept it.
    struct Representative {
        var parts: RequestParts
        /// Indexed like the `distinguishing` rules.
        var accepts: [Bool]
    }

    /// The representatives, most readable first.
    let representatives: [Representative]
    /// Whether every combination of values was tried, so every class is represented.
    let isComplete: Bool

    /// Partitions the parts that every rule of `required` accepts (and that carry the
    /// `fixedHeaders`, e.g. a sticky split key) by the `distinguishing` rules, trying at
    /// most `limit` combinations.
    init(required: [CompiledRule], distinguishing: [CompiledRule], fixedHeaders: [(String, String)] = [], limit: Int) {
        let inView = required + distinguishing
        let fixed = fixedHeaders.map { (name: $0.0.asciiLowercased, value: $0.1) }
        var dimensions: [[Value]] = [
            Self.methods(required: required, inView: inView).map(Value.method),
            Self.hosts(required: required, inView: inView).map(Value.host),
        ]
        var headerNames: [String] = []
        for name in inView.flatMap({ $0.headers.map { $0.name } }) + fixed.map({ $0.name })
        where !headerNames.contains(name) {
            headerNames.append(name)
        }
        for name in headerNames {
            dimensions.append(
                Self.headerValues(
                    name, required: required, inView: inView, fixed: fixed.filter { $0.name == name }.map { $0.value }
                )
                .map { Value.header(name, $0) })
        }
        dimensions.append(Self.geoValues(required: required, inView: inView, { $0.continents }).map(Value.continent))
        dimensions.append(Self.geoValues(required: required, inView: inView, { $0.countries }).map(Value.country))
        dimensions.append(Self.geoValues(required: required, inView: inView, { $0.colos }).map(Value.colo))

        var representatives: [Representative] = []
        var seen = Set<[Bool]>()
        let (vectors, complete) = Self.combinations(sizes: dimensions.map { $0.count }, limit: limit)
        for vector in vectors {
            var parts = RequestParts(method: "GET", host: "example.com", headers: [], cf: GeoContext())
            for (dimension, choice) in vector.enumerated() { dimensions[dimension][choice].apply(to: &parts) }
            guard let probe = parts.request(path: "/"), required.allSatisfy({ $0.acceptsNonPath(probe) }) else {
                continue
            }
            let accepts = distinguishing.map { $0.acceptsNonPath(probe) }
            guard seen.insert(accepts).inserted else { continue }
            representatives.append(Representative(parts: parts, accepts: accepts))
        }
        self.representatives = representatives
        isComplete = complete
    }

    // MARK: Values per field

    /// One choice on one field.
    enum Value {
        case method(String)
        case host(String)
        /// A header's value; nil leaves it absent.
        case header(String, String?)
        case continent(String?)
        case country(String?)
        case colo(String?)

        func apply(to parts: inout RequestParts) {
            switch self {
            case .method(let method): parts.method = method
            case .host(let host): parts.host = host
            case .header(let name, let value):
                if let value { parts.headers.append(RequestParts.HeaderValue(name: name, value: value)) }
            case .continent(let code): parts.cf.continent = code
            case .country(let code): parts.cf.country = code
            case .colo(let code): parts.cf.colo = code
            }
        }
    }

    /// Methods readers know, for a fresh method that no rule names.
    static let commonMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "QUERY", "PURGE"]

    /// The required rules' common methods in the order the first list writes them; else
    /// `GET`, every method named in view, and a fresh one.
    static func methods(required: [CompiledRule], inView: [CompiledRule]) -> [String] {
        // As written (upper-cased, as the matcher compares them), to keep the rule's order.
        let lists = required.compactMap { $0.rule.methods?.map { $0.value.asciiUppercased } }
        if let first = lists.first {
            var result: [String] = []
            for method in first where !result.contains(method) && lists.allSatisfy({ $0.contains(method) }) {
                result.append(method)
            }
            return result
        }
        var named: [String] = []
        for rule in inView {
            for method in (rule.rule.methods ?? []).map({ $0.value.asciiUppercased }) where !named.contains(method) {
                named.append(method)
            }
        }
        var result = ["GET"]
        for method in named where method != "GET" { result.append(method) }
        result.append(
            commonMethods.first { !named.contains($0) && $0 != "GET" }
                ?? freshName(prefix: "X-METHOD-", avoiding: Set(named)))
        return result
    }

    /// Exact hosts named, a fresh subdomain of each wildcard suffix, and a fresh host;
    /// those every required host matcher accepts, the required rule's own host first.
    static func hosts(required: [CompiledRule], inView: [CompiledRule]) -> [String] {
        let matchers = inView.compactMap { $0.host }
        let exact = Set(matchers.filter { !$0.isWildcard }.map { $0.pattern })
        var candidates: [String] = []
        func add(_ host: String) { if !candidates.contains(host) { candidates.append(host) } }
        func subdomain(of suffix: Substring) -> String {
            for label in ["www", "x", "y", "z"] where !exact.contains(label + suffix) { return label + suffix }
            return freshName(
                prefix: "h",
                avoiding: Set(exact.compactMap { $0.hasSuffix(suffix) ? String($0.dropLast(suffix.count)) : nil }))
                + suffix
        }
        // The required rules' hosts first: they are what the rule is about.
        for matcher in required.compactMap({ $0.host }) {
            add(matcher.isWildcard ? subdomain(of: matcher.pattern.dropFirst()) : matcher.pattern)
        }
        // A host without a dot matches no wildcard, so the last candidate always works.
        let fresh =
            ["example.com", "example.net", "example.org", "host.example", "localhost"]
            .first { host in !matchers.contains { $0.matches(host) } } ?? freshName(prefix: "host", avoiding: exact)
        add(fresh)
        for matcher in matchers {
            add(matcher.isWildcard ? subdomain(of: matcher.pattern.dropFirst()) : matcher.pattern)
        }
        let requiredHosts = required.compactMap { $0.host }
        return candidates.filter { host in requiredHosts.allSatisfy { $0.matches(host) } }
    }

    /// One header's choices: what the required rules (and the fixed value) allow, out of
    /// absent, each value named in view and a fresh value.
    static func headerValues(_ name: String, required: [CompiledRule], inView: [CompiledRule], fixed: [String])
        -> [String?]
    {
        var named: [String] = []
        for rule in inView {
            for requirement in rule.headers where requirement.name == name {
                if case .equals(let value) = requirement.condition, !named.contains(value) { named.append(value) }
            }
        }
        let fresh = ["1", "on", "x"].first { !named.contains($0) } ?? freshName(prefix: "v", avoiding: Set(named))
        var candidates: [String?] = fixed.isEmpty ? [nil, fresh] + named.map(Optional.some) : fixed.map { $0 }
        // With a required presence, a present value reads better first.
        if fixed.isEmpty, required.contains(where: { $0.headers.contains { $0.name == name } }) {
            candidates = [fresh] + named.map(Optional.some) + [nil]
        }
        let conditions = required.flatMap { $0.headers.filter { $0.name == name } }
        return candidates.filter { value in
            conditions.allSatisfy { requirement in
                switch requirement.condition {
                case .equals(let expected): value == expected
                case .present: value != nil
                case .absent: value == nil
                }
            }
        }
    }

    /// One geo field's choices: the required rules' common codes, else unknown and each
    /// code named in view.
    static func geoValues(required: [CompiledRule], inView: [CompiledRule], _ field: (GeoRequirement) -> [String]?)
        -> [String?]
    {
        let lists = required.compactMap { $0.geo.flatMap(field) }
        if let first = lists.first {
            var result: [String?] = []
            for code in first where !result.contains(code) && lists.allSatisfy({ $0.contains(code) }) {
                result.append(code)
            }
            return result
        }
        var result: [String?] = [nil]
        for code in inView.compactMap({ $0.geo.flatMap(field) }).joined() where !result.contains(code) {
            result.append(code)
        }
        return result
    }

    /// `prefix1`, `prefix2`, ... : the first not in `taken`.
    static func freshName(prefix: String, avoiding taken: Set<String>) -> String {
        var number = 1
        while taken.contains(prefix + String(number)) { number += 1 }
        return prefix + String(number)
    }

    // MARK: Combinations

    /// Index vectors over dimensions of the given sizes, by increasing sum of indices
    /// (fewest departures from the first, most readable, values) and then in order, at
    /// most `limit` of them; `complete` says whether that was all of them.
    static func combinations(sizes: [Int], limit: Int) -> (vectors: [[Int]], complete: Bool) {
        guard !sizes.contains(0) else { return ([], true) }
        let maxSum = sizes.reduce(0) { $0 + $1 - 1 }
        // What the dimensions from each position on can still add, for pruning.
        var capacity = [Int](repeating: 0, count: sizes.count + 1)
        for position in stride(from: sizes.count - 1, through: 0, by: -1) {
            capacity[position] = capacity[position + 1] + sizes[position] - 1
        }
        var vectors: [[Int]] = []
        var vector = [Int](repeating: 0, count: sizes.count)
        func fill(_ position: Int, _ remaining: Int) -> Bool {
            if position == sizes.count {
                guard vectors.count < limit else { return false }
                vectors.append(vector)
                return true
            }
            for choice in 0..<min(sizes[position], remaining + 1) where remaining - choice <= capacity[position + 1] {
                vector[position] = choice
                if !fill(position + 1, remaining - choice) { return false }
            }
            vector[position] = 0
            return true
        }
        for sum in 0...maxSum where !fill(0, sum) {
            return (vectors, false)
        }
        return (vectors, true)
    }
}
