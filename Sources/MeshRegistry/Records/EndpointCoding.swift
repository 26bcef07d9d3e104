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
        let (blank, blankLocation) = try prototype()
        if let url = value.stringValue {
            var endpoint = blank
            endpoint.url = located(url)
            endpoint.isShorthand = true
            return endpoint
        }
        let object = try fields.element(value, of: "endpoints", at: index)
        var endpoint = blank
        endpoint.url = located(try object.string("url"))
        endpoint.id = try object.optionalString("id").map(located)
        endpoint.region = try object.optionalString("region").map(located)
        endpoint.continent = try object.optionalString("continent").map(located)
        endpoint.weight = try object.optionalDouble("weight").map(located)
        endpoint.insecure = try object.optionalBool("insecure").map(located)
        if let location = try object.optionalObject("location") {
            var place = blankLocation
            place.latitude = try location.double("lat")
            place.longitude = try location.double("lon")
            endpoint.location = place
        }
        return endpoint
    }

    private static func located<Value>(_ value: Value) -> Located<Value> {
        Located(value, at: .empty(at: 0))
    }

    /// A blank endpoint to fill in. `Endpoint` and `GeoLocation` have no public
    /// initializers (MeshConfig builds them from syntax trees), so one is taken from the
    /// model of a fixed tiny config and every member is then overwritten or cleared. A
    /// public memberwise initializer in MeshConfig would make this unnecessary.
    private static let blank: Endpoint? = {
        let source = #"{"services": {"s": {"endpoints": [{"location": {"lat": 0, "lon": 0}}]}}}"#
        guard var endpoint = MeshDocument.analyze(SourceText(source)).config.services.first?.endpoints?.first else {
            return nil
        }
        endpoint.range = .empty(at: 0)
        endpoint.location?.range = .empty(at: 0)
        return endpoint
    }()

    /// The blank endpoint with every member cleared; throws only if the config model
    /// stopped building the fixed text above, which the tests would show first.
    private static func prototype() throws(RegistryError) -> (endpoint: Endpoint, location: GeoLocation) {
        guard var endpoint = blank, let location = endpoint.location else {
            throw .failed("internal error: the config model did not build an endpoint")
        }
        endpoint.url = nil
        endpoint.id = nil
        endpoint.region = nil
        endpoint.continent = nil
        endpoint.location = nil
        endpoint.weight = nil
        endpoint.insecure = nil
        endpoint.isShorthand = false
        return (endpoint, location)
    }
}
