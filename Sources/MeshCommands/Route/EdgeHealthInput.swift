import MeshRegistry
import WireJSON

/// The registry's live data for the edge router's `mesh_set_health` (edge/README.md): the
/// envelope `{"now", "staleAfterSeconds", "health", "registrations"}` built from what the store
/// holds (``HealthListing``) as a Worker builds it from Workers KV, which ``EdgeHealthFields``
/// writes in the module's form, so that `route --engine wasm --live` reads the records with the
/// module's own code, as the deployed router would.
///
/// Metadata and registrations are handed over parsed, as Workers KV gives them; one that is
/// not JSON is handed over as absent, which the module counts as a record it cannot read,
/// as the native reader leaves it out.
enum EdgeHealthInput {
    /// How old a record may be before it counts as none: the native reader's default.
    static let staleAfterSeconds: Int64 = 30

    /// `now` (epoch seconds) in whole milliseconds, as the envelope carries it: the native
    /// router's snapshot ages its records from the same instant, so both routers read the same
    /// ages.
    static func milliseconds(_ now: Double) -> Int64 {
        Int64((now * 1000).rounded())
    }

    /// The envelope of `listing`, read at `now` (epoch seconds).
    static func envelope(_ listing: HealthListing, now: Double) -> JSONObject {
        var health: [JSONValue] = []
        for key in listing.keys {
            var entry = JSONObject([("name", .string(key.name))])
            if let expiration = key.expiration { entry["expiration"] = .int(expiration) }
            if let metadata = key.metadata, case .success(let value) = WireJSON.parse(metadata) {
                entry["metadata"] = value
            }
            health.append(.object(entry))
        }
        var registrations = JSONObject()
        for (name, bytes) in listing.registrations.sorted(by: { $0.key < $1.key }) {
            if case .success(let value) = WireJSON.parse(bytes) { registrations[name] = value }
        }
        let envelope = JSONObject([
            ("now", .int(milliseconds(now))), ("staleAfterSeconds", .int(staleAfterSeconds)),
            ("health", .array(health)), ("registrations", .object(registrations)),
        ])
        return envelope
    }
}
