import MeshConfig
import MeshSyntax

/// The endpoints of a `service:<name>` registration (docs/guide/registry.md), read as
/// `diddy-mesh route --live` reads them: MeshRegistry's `ServiceRegistration.decode` and
/// `EndpointCoding`, whose rules these are, on MeshSyntax's strict JSON reader (MeshRegistry
/// reads JSON with json-c and cannot be compiled for the edge).
///
/// A registration that is not shaped as documented is left out whole, as the registry reader
/// leaves it out: its service then has no endpoints, never some of them.
enum RegistrationReading {
    /// The endpoints of the registration `value`, or nil when it is not one.
    static func endpoints(of value: StrictJSONReader.Value) -> [Endpoint]? {
        guard HealthRecordReading.value("name", of: value)?.string != nil,
            let list = HealthRecordReading.value("endpoints", of: value)?.elements,
            let milliseconds = HealthRecordReading.value("registeredAt", of: value)?.number,
            milliseconds.rounded() == milliseconds, abs(milliseconds) < 9.0e15
        else { return nil }
        if let version = HealthRecordReading.value("version", of: value), version.string == nil {
            return nil
        }
        var endpoints: [Endpoint] = []
        for element in list {
            guard let endpoint = endpoint(element) else { return nil }
            endpoints.append(endpoint)
        }
        return endpoints
    }

    /// One endpoint: a URL string, or an object with a string `url` whose optional members
    /// have the documented kinds; unknown members are ignored, as there.
    private static func endpoint(_ value: StrictJSONReader.Value) -> Endpoint? {
        if let url = value.string {
            return Endpoint(range: .empty(at: 0), url: located(url), isShorthand: true)
        }
        guard let url = HealthRecordReading.value("url", of: value)?.string else { return nil }
        var endpoint = Endpoint(range: .empty(at: 0), url: located(url), isShorthand: false)
        var valid = true
        endpoint.id = optional("id", of: value, valid: &valid) { $0.string }
        endpoint.region = optional("region", of: value, valid: &valid) { $0.string }
        endpoint.continent = optional("continent", of: value, valid: &valid) { $0.string }
        endpoint.weight = optional("weight", of: value, valid: &valid) { $0.number }
        endpoint.insecure = optional("insecure", of: value, valid: &valid) { $0.bool }
        if let location = HealthRecordReading.value("location", of: value) {
            guard let latitude = HealthRecordReading.value("lat", of: location)?.number,
                let longitude = HealthRecordReading.value("lon", of: location)?.number
            else { return nil }
            endpoint.location = GeoLocation(latitude: latitude, longitude: longitude, range: .empty(at: 0))
        }
        return valid ? endpoint : nil
    }

    /// Member `name` read by `read`; absent or null is nil, and a member `read` cannot read
    /// clears `valid` (a wrong kind makes the whole registration unreadable).
    private static func optional<Value>(
        _ name: String, of object: StrictJSONReader.Value, valid: inout Bool, _ read: (StrictJSONReader.Value) -> Value?
    ) -> Located<Value>? {
        guard let member = HealthRecordReading.value(name, of: object) else { return nil }
        guard let value = read(member) else {
            valid = false
            return nil
        }
        return located(value)
    }

    private static func located<Value>(_ value: Value) -> Located<Value> {
        Located(value, at: .empty(at: 0))
    }
}
