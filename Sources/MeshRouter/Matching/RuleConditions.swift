import MeshConfig
import MeshSyntax

/// A rule's `host` condition.
///
/// `api.example.com` matches exactly that host. `*.example.com` matches any subdomain at
/// any depth (`a.example.com`, `a.b.example.com`) but not `example.com` itself, as in
/// Cloudflare's and Envoy's wildcard hosts. Only a leading `*.` is a wildcard; any other
/// `*` is compared literally and so matches no real host. Hosts compare ASCII
/// case-insensitively and without a port.
public struct HostMatcher: Sendable, Hashable {
    /// The condition as written, lower-cased.
    public let pattern: String
    /// Whether the condition is `*.<suffix>`.
    public let isWildcard: Bool
    /// The exact host, or for a wildcard the suffix including its leading dot.
    private let bytes: [UInt8]

    /// Compiles a `host` value.
    public init(_ text: String) {
        pattern = text.asciiLowercased
        let lowered = Array(pattern.utf8)
        if lowered.count > 2, lowered[0] == UInt8(ascii: "*"), lowered[1] == UInt8(ascii: ".") {
            isWildcard = true
            bytes = Array(lowered.dropFirst())
        } else {
            isWildcard = false
            bytes = lowered
        }
    }

    /// Whether `host` (without a port) satisfies the condition. Allocates nothing.
    public func matches(_ host: String) -> Bool {
        var host = host
        return host.withUTF8 { candidate in
            if isWildcard {
                // At least one character must precede the suffix's dot: `.example.com`
                // is not a subdomain.
                guard candidate.count > bytes.count else { return false }
                return Self.equalIgnoringASCIICase(candidate, from: candidate.count - bytes.count, bytes)
            }
            guard candidate.count == bytes.count else { return false }
            return Self.equalIgnoringASCIICase(candidate, from: 0, bytes)
        }
    }

    /// Compares `candidate[offset...]` with the lower-case `expected`.
    private static func equalIgnoringASCIICase(
        _ candidate: UnsafeBufferPointer<UInt8>, from offset: Int, _ expected: [UInt8]
    ) -> Bool {
        for position in 0..<expected.count {
            var byte = candidate[offset + position]
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != expected[position] { return false }
        }
        return true
    }
}

/// One `headers` entry of a rule, with the name lower-cased (header names are
/// case-insensitive; values are compared exactly).
public struct HeaderRequirement: Sendable, Hashable {
    /// The header name in lower case.
    public let name: String
    /// What the header must be.
    public let condition: HeaderCondition

    /// Compiles a header condition.
    public init(name: String, condition: HeaderCondition) {
        self.name = name.asciiLowercased
        self.condition = condition
    }

    /// Whether the request's headers (keyed by lower-case name) satisfy the condition.
    public func matches(_ headers: NameMap<String>) -> Bool {
        switch condition {
        case .equals(let expected): headers[name].hasSameBytes(as: expected)
        case .present: headers[name] != nil
        case .absent: headers[name] == nil
        }
    }

    /// Nil when satisfied, else a phrase such as `header x-preview is absent`.
    func failure(_ headers: NameMap<String>) -> String? {
        let actual = headers[name]
        switch condition {
        case .equals(let expected):
            guard let actual else { return "header \(name) is absent (expected '\(MatchText.clipped(expected))')" }
            return actual.hasSameBytes(as: expected)
                ? nil : "header \(name) is '\(MatchText.clipped(actual))', not '\(MatchText.clipped(expected))'"
        case .present:
            return actual == nil ? "header \(name) is absent" : nil
        case .absent:
            return actual == nil ? nil : "header \(name) is present"
        }
    }
}

/// A rule's `geo` condition. Each list that is present constrains its field of
/// `request.cf`; a request whose field is unknown does not match a list that constrains
/// it, and an empty list matches no request.
public struct GeoRequirement: Sendable, Hashable {
    /// Allowed continents, upper case; nil when not constrained.
    public let continents: [String]?
    /// Allowed countries (ISO 3166-1 alpha-2), upper case; nil when not constrained.
    public let countries: [String]?
    /// Allowed data centers (IATA), upper case; nil when not constrained.
    public let colos: [String]?

    private let continentSet: NameSet?
    private let countrySet: NameSet?
    private let coloSet: NameSet?

    /// Compiles a `geo` object; codes are upper-cased as Cloudflare reports them.
    public init(_ geo: GeoMatch) {
        continents = geo.continents.map { $0.map { $0.value.asciiUppercased } }
        countries = geo.countries.map { $0.map { $0.value.asciiUppercased } }
        colos = geo.colos.map { $0.map { $0.value.asciiUppercased } }
        continentSet = continents.map(NameSet.init)
        countrySet = countries.map(NameSet.init)
        coloSet = colos.map(NameSet.init)
    }

    /// Whether the request's geo fields satisfy every present list.
    public func matches(_ cf: GeoContext) -> Bool {
        Self.allows(continentSet, cf.continent) && Self.allows(countrySet, cf.country) && Self.allows(coloSet, cf.colo)
    }

    @inline(__always)
    private static func allows(_ allowed: NameSet?, _ value: String?) -> Bool {
        guard let allowed else { return true }
        guard let value else { return false }
        return allowed.contains(value)
    }

    /// Nil when satisfied, else a phrase such as `continent NA not in [EU]`.
    func failure(_ cf: GeoContext) -> String? {
        Self.failure("continent", continents, continentSet, cf.continent)
            ?? Self.failure("country", countries, countrySet, cf.country)
            ?? Self.failure("colo", colos, coloSet, cf.colo)
    }

    private static func failure(_ field: String, _ list: [String]?, _ allowed: NameSet?, _ value: String?)
        -> String?
    {
        guard let list, let allowed else { return nil }
        let written = "[\(list.joined(separator: ", "))]"
        guard let value else { return "\(field) is unknown, rule requires \(written)" }
        return allowed.contains(value) ? nil : "\(field) \(MatchText.clipped(value)) not in \(written)"
    }
}
