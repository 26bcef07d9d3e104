import MeshConfig
import MeshSyntax

/// Reads the value of a `service:<name>` key (docs/guide/registry.md) as the registry
/// reader's `ServiceRegistration` does: `name` and `registeredAt` required, `version`
/// optional, every endpoint readable, or the whole registration is left out.
enum RegistrationReading {
    /// The endpoints of the registration whose members follow in `fields` (`name`,
    /// `registeredAt`, `version`, `endpoints`): `.some(nil)` for one not shaped as
    /// documented, nil when the form is damaged. Every member is read either way, so the
    /// fields after it are where the next entry starts.
    static func endpoints(_ fields: inout TaggedFields) -> [Endpoint]?? {
        guard let name = fields.next(), let registeredAt = fields.next(), let version = fields.next(),
            let list = fields.next()
        else { return nil }
        var valid = name.string != nil
        if let milliseconds = registeredAt.number, milliseconds.rounded() == milliseconds, abs(milliseconds) < 9.0e15 {
        } else {
            valid = false
        }
        if !version.isAbsent, version.string == nil { valid = false }
        guard case .array(let count) = list else { return .some(nil) }
        var endpoints: [Endpoint] = []
        for _ in 0..<count {
            guard let read = endpoint(&fields) else { return nil }
            if let read { endpoints.append(read) } else { valid = false }
        }
        return .some(valid ? endpoints : nil)
    }

    /// One element of `endpoints`: a URL, or an object of `url`, `id`, `region`, `continent`,
    /// `weight`, `insecure` and `location`; `.some(nil)` for one not shaped so, nil when the
    /// form is damaged.
    private static func endpoint(_ fields: inout TaggedFields) -> Endpoint?? {
        guard let value = fields.next() else { return nil }
        if let url = value.string { return .some(Endpoint(range: .empty(at: 0), url: located(url), isShorthand: true)) }
        guard case .object = value else { return .some(nil) }
        guard let url = fields.next(), let id = fields.next(), let region = fields.next(),
            let continent = fields.next(), let weight = fields.next(), let insecure = fields.next(),
            let location = fields.next()
        else { return nil }
        var valid = true
        var geo: GeoLocation?
        if case .object = location {
            guard let latitude = fields.next(), let longitude = fields.next() else { return nil }
            if let latitude = latitude.number, let longitude = longitude.number {
                geo = GeoLocation(latitude: latitude, longitude: longitude, range: .empty(at: 0))
            } else {
                valid = false
            }
        } else if !location.isAbsent {
            valid = false
        }
        guard let text = url.string else { return .some(nil) }
        var endpoint = Endpoint(range: .empty(at: 0), url: located(text), isShorthand: false)
        endpoint.id = optional(id, valid: &valid) { $0.string }
        endpoint.region = optional(region, valid: &valid) { $0.string }
        endpoint.continent = optional(continent, valid: &valid) { $0.string }
        endpoint.weight = optional(weight, valid: &valid) { $0.number }
        endpoint.insecure = optional(insecure, valid: &valid) {
            if case .bool(let flag) = $0 { return flag }
            return nil
        }
        endpoint.location = geo
        return .some(valid ? endpoint : nil)
    }

    /// A member that may be absent; one of the wrong kind makes the endpoint invalid.
    private static func optional<Value>(
        _ member: TaggedFields.Value, valid: inout Bool, _ read: (TaggedFields.Value) -> Value?
    ) -> Located<Value>? {
        guard !member.isAbsent else { return nil }
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
