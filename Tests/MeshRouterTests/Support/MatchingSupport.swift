import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Builds rules the way users write them: as config JSON run through the real parser and
/// model builder, so the tests exercise the same `Rule` values the CLI routes with.
enum MatchingSupport {
    /// A header condition as written in a rule's `headers` object.
    enum HeaderValue: Sendable, Hashable {
        case equals(String)
        case present
        case absent
    }

    /// One rule to write; nil fields are left out of the JSON.
    struct RuleSpec: Sendable, Hashable {
        var path: String?
        var methods: [String]?
        var host: String?
        var headers: [Header] = []
        var continents: [String]?
        var countries: [String]?
        var colos: [String]?

        struct Header: Sendable, Hashable {
            var name: String
            var value: HeaderValue
        }

        init(
            _ path: String?, methods: [String]? = nil, host: String? = nil, headers: [Header] = [],
            continents: [String]? = nil, countries: [String]? = nil, colos: [String]? = nil
        ) {
            self.path = path
            self.methods = methods
            self.host = host
            self.headers = headers
            self.continents = continents
            self.countries = countries
            self.colos = colos
        }

        /// The rule as a JSON object.
        var json: String {
            var members: [String] = []
            if let path { members.append("\"path\": \(StringEncoding.literal(path))") }
            members.append("\"service\": \"s\"")
            if let methods {
                members.append("\"methods\": [\(methods.map(StringEncoding.literal).joined(separator: ", "))]")
            }
            if let host { members.append("\"host\": \(StringEncoding.literal(host))") }
            if !headers.isEmpty {
                let entries = headers.map { header -> String in
                    let value: String
                    switch header.value {
                    case .equals(let text): value = StringEncoding.literal(text)
                    case .present: value = "true"
                    case .absent: value = "false"
                    }
                    return "\(StringEncoding.literal(header.name)): \(value)"
                }
                members.append("\"headers\": {\(entries.joined(separator: ", "))}")
            }
            if continents != nil || countries != nil || colos != nil {
                var geo: [String] = []
                if let continents {
                    geo.append("\"continents\": [\(continents.map(StringEncoding.literal).joined(separator: ", "))]")
                }
                if let countries {
                    geo.append("\"countries\": [\(countries.map(StringEncoding.literal).joined(separator: ", "))]")
                }
                if let colos { geo.append("\"colos\": [\(colos.map(StringEncoding.literal).joined(separator: ", "))]") }
                members.append("\"geo\": {\(geo.joined(separator: ", "))}")
            }
            return "{\(members.joined(separator: ", "))}"
        }
    }

    /// The config text holding `specs` as `routing.rules`.
    static func configText(_ specs: [RuleSpec]) -> String {
        var text =
            "{\"version\": 1, \"services\": {\"s\": {\"endpoints\": [\"https://s.example.com\"]}}, \"routing\": "
            + "{\"rules\": [\n"
        text += specs.map(\.json).joined(separator: ",\n")
        text += "\n]}}"
        return text
    }

    /// The typed rules of `specs`, through the real parser.
    static func rules(_ specs: [RuleSpec]) -> [Rule] {
        config(specs).routing.rules
    }

    /// The typed config of `specs`, through the real parser.
    static func config(_ specs: [RuleSpec]) -> MeshConfig {
        MeshDocument.analyze(SourceText(configText(specs)), path: "rules.jsonc").config
    }

    /// One compiled rule.
    static func compiled(_ spec: RuleSpec) throws -> CompiledRule {
        let rule = try #require(rules([spec]).first)
        return CompiledRule(rule)
    }

    /// A request, or a thrown `RequestError` naming why it could not be built.
    static func request(
        _ method: String = "GET", _ url: String, headers: [(String, String)] = [],
        cf: GeoContext = GeoContext()
    ) throws -> RouteRequest {
        try RouteRequest.make(method: method, url: url, headers: headers, cf: cf).get()
    }
}
