import MeshConfig
import MeshSyntax
import WireJSON

/// Endpoint objects of docs/guide/config-reference.md in registry values, converted to and from the config
/// model's ``Endpoint`` so the router treats registered endpoints like static ones.
enum EndpointCoding {
    /// The endpoint as an object of docs/guide/config-reference.md; only the members that are set.
    static func jsonValue(of endpoint: Endpoint) -> JSONValue {
        var object = JSONObject()
        object["url"] = endpoint.url.map { .string($0.value) }
        object["id"] = endpoint.id.map { .string($0.value) }
        object["region"] = endpoint.region.map { .string($0.value) }
        object["continent"] = endpoint.continent.map { .string($0.value) }
        object["location"] = endpoint.location.map {
            .object(["lat": .double($0.latitude), "lon": .double($0.longitude)])
        }
        object["weight"] = endpoint.weight.map { .double($0.value) }
        object["insecure"] = endpoint.insecure.map { .bool($0.value) }
        return .object(object)
    }

    /// An endpoint from a registration: a URL string or an endpoint object with a `url`.
    /// Ranges are empty because the endpoint comes from no source file.
    static func endpoint(from value: JSONValue, at index: Int, in fields: RecordFields) throws(RegistryError)
        -> Endpoint
    {
        if let url = value.stringValue {
            return Endpoint(range: .empty(at: 0), url: located(url), isShorthand: true)
        }
        let object = try fields.element(value, of: "endpoints", at: index)
        var endpoint = Endpoint(range: .empty(at: 0), isShorthand: false)
        endpoint.url = located(try object.string("url"))
        endpoint.id = try object.optionalString("id").map(located)
        endpoint.region = try object.optionalString("region").map(located)
        endpoint.continent = try object.optionalString("continent").map(located)
        endpoint.weight = try object.optionalDouble("weight").map(located)
        endpoint.insecure = try object.optionalBool("insecure").map(located)
        if let location = try object.optionalObject("location") {
            endpoint.location = GeoLocation(
                latitude: try location.double("lat"), longitude: try location.double("lon"), range: .empty(at: 0))
        }
        return endpoint
    }

    private static func located<Value>(_ value: Value) -> Located<Value> {
        Located(value, at: .empty(at: 0))
    }
}
