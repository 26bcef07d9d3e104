import MeshConfig
import WireJSON

/// A service's registration, the value of `service:<name>` (docs/guide/registry.md): where a service
/// without static endpoints runs.
public struct ServiceRegistration: Sendable, Hashable {
    /// The service name.
    public var name: String
    /// The deployed version (semver), when known.
    public var version: String?
    /// The endpoints, as the config model's values (with empty source ranges).
    public var endpoints: [Endpoint]
    /// When the service registered, epoch milliseconds.
    public var registeredAt: Int64

    /// Creates a registration.
    public init(name: String, version: String?, endpoints: [Endpoint], registeredAt: Int64) {
        self.name = name
        self.version = version
        self.endpoints = endpoints
        self.registeredAt = registeredAt
    }

    /// The key this registration is stored under.
    public var key: String { RegistryKeys.service(name) }

    /// The value as compact UTF-8 JSON: `{"name", "version", "endpoints", "registeredAt"}`,
    /// endpoints always in object form.
    public func encoded() -> [UInt8] {
        let object: JSONObject = [
            "name": .string(name),
            "version": .orNull(version),
            "endpoints": .array(endpoints.map(EndpointCoding.jsonValue)),
            "registeredAt": .int(registeredAt),
        ]
        return Array(WireJSON.serialize(.object(object)).utf8)
    }

    /// The metadata JSON text: `{"version", "endpoints": <count>}`.
    public func metadata() -> String {
        let object: JSONObject = ["version": .orNull(version), "endpoints": .int(Int64(endpoints.count))]
        return WireJSON.serialize(.object(object))
    }

    /// Reads a registration; throws ``RegistryError/corrupt(_:)`` naming `key` when the
    /// value is not JSON or not shaped as above. Endpoints may be URL strings or objects,
    /// as in a config file.
    public static func decode(_ bytes: [UInt8], key: String = "service registration") throws(RegistryError)
        -> ServiceRegistration
    {
        let fields = try RecordFields.parse(bytes, subject: key)
        var endpoints: [Endpoint] = []
        for (index, value) in try fields.array("endpoints").enumerated() {
            endpoints.append(try EndpointCoding.endpoint(from: value, at: index, in: fields))
        }
        return ServiceRegistration(
            name: try fields.string("name"),
            version: try fields.optionalString("version"),
            endpoints: endpoints,
            registeredAt: try fields.int64("registeredAt")
        )
    }
}
