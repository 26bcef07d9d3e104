import MeshConfig
import MeshSyntax

/// The endpoints of a `service:<name>` registration (docs/guide/registry.md), read as
/// `diddy-mesh route --live` reads them: MeshRegistry's `ServiceRegistration.decode` and
/// `EndpointCoding`, whose rules these are, on MeshSyntax's tree (MeshRegistry reads JSON with
/// json-c and cannot be compiled for the edge).
///
/// A registration that is not shaped as documented is left out whole, as the registry reader
/// leaves it out: its service then has no endpoints, never some of them.
enum RegistrationReading {
    /// The endpoints of the registration at `node`, or nil when it is not one.
    static func endpoints(of node: NodeID, in tree: SyntaxTree) -> [Endpoint]? {
        guard tree.kind(node) == .object,
            let name = HealthRecordReading.value("name", of: node, in: tree), tree.string(name) != nil,
            let list = HealthRecordReading.value("endpoints", of: node, in: tree), tree.kind(list) == .array,
            let registeredAt = HealthRecordReading.value("registeredAt", of: node, in: tree),
            let milliseconds = tree.number(registeredAt), milliseconds.rounded() == milliseconds,
            abs(milliseconds) < 9.0e15
        else { return nil }
        if let version = HealthRecordReading.value("version", of: node, in: tree), tree.string(version) == nil {
            return nil
        }
        var endpoints: [Endpoint] = []
        for element in tree.elements(of: list) {
            guard let endpoint = endpoint(element, in: tree) else { return nil }
            endpoints.append(endpoint)
        }
        return endpoints
    }

    /// One endpoint: a URL string, or an object with a string `url` whose optional members
    /// have the documented kinds; unknown members are ignored, as there.
    private static func endpoint(_ node: NodeID, in tree: SyntaxTree) -> Endpoint? {
        if let url = tree.string(node) {
            return Endpoint(range: .empty(at: 0), url: located(url), isShorthand: true)
        }
        guard tree.kind(node) == .object,
            let url = HealthRecordReading.value("url", of: node, in: tree).flatMap(tree.string)
        else { return nil }
        var endpoint = Endpoint(range: .empty(at: 0), url: located(url), isShorthand: false)
        var valid = true
        endpoint.id = optional("id", of: node, in: tree, valid: &valid, tree.string)
        endpoint.region = optional("region", of: node, in: tree, valid: &valid, tree.string)
        endpoint.continent = optional("continent", of: node, in: tree, valid: &valid, tree.string)
        endpoint.weight = optional("weight", of: node, in: tree, valid: &valid, tree.number)
        endpoint.insecure = optional("insecure", of: node, in: tree, valid: &valid, tree.bool)
        if let location = HealthRecordReading.value("location", of: node, in: tree) {
            guard tree.kind(location) == .object,
                let latitude = HealthRecordReading.value("lat", of: location, in: tree).flatMap(tree.number),
                let longitude = HealthRecordReading.value("lon", of: location, in: tree).flatMap(tree.number)
            else { return nil }
            endpoint.location = GeoLocation(latitude: latitude, longitude: longitude, range: .empty(at: 0))
        }
        return valid ? endpoint : nil
    }

    /// Member `name` read by `read`; absent or null is nil, and a member `read` cannot read
    /// clears `valid` (a wrong kind makes the whole registration unreadable).
    private static func optional<Value>(
        _ name: String, of node: NodeID, in tree: SyntaxTree, valid: inout Bool, _ read: (NodeID) -> Value?
    ) -> Located<Value>? {
        guard let member = HealthRecordReading.value(name, of: node, in: tree) else { return nil }
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
