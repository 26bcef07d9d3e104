import MeshSyntax

/// The keys of the registry namespace (docs/guide/registry.md, "Keys and records").
///
/// Service names cannot contain `:` (docs/guide/config-reference.md allows only lowercase letters, digits and
/// `-`), so `health:<service>:` never prefixes another service's keys. Endpoint ids can
/// contain anything (they default to URLs), which is why they are percent-encoded.
public enum RegistryKeys {
    /// The deployed mesh config.
    public static let meshConfig = "mesh:config"

    /// The route plan of the deployed config, which the edge router loads
    /// (``MeshPlanRecord``).
    public static let meshPlan = "mesh:plan"

    /// The registration of service `name`.
    public static func service(_ name: String) -> String {
        "service:" + name
    }

    /// The health record of one endpoint; `endpointId` is percent-encoded except for the
    /// RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`), with upper-case hex.
    public static func health(service: String, endpointId: String) -> String {
        healthPrefix(service: service) + PercentEncoding.encode(endpointId)
    }

    /// The prefix of every health record of every service.
    public static let healthKeyPrefix = "health:"

    /// The service a health key belongs to, or nil when `key` is not a health key.
    public static func service(fromHealthKey key: String) -> String? {
        guard key.hasPrefix(healthKeyPrefix) else { return nil }
        let rest = key.dropFirst(healthKeyPrefix.count)
        guard let colon = rest.firstIndex(of: ":"), colon > rest.startIndex else { return nil }
        return String(rest[..<colon])
    }

    /// The prefix shared by every health record of `service`, for one listing per service.
    public static func healthPrefix(service: String) -> String {
        healthKeyPrefix + service + ":"
    }

    /// The endpoint id of a health key of `service`, or nil when `key` is not one or its
    /// suffix is not valid percent-encoding of UTF-8.
    public static func endpointId(fromHealthKey key: String, service: String) -> String? {
        let prefix = healthPrefix(service: service)
        guard key.hasPrefix(prefix) else { return nil }
        return PercentEncoding.decode(String(key.dropFirst(prefix.count)))
    }
}
