import MeshConfig
import MeshRouter
import MeshSyntax

/// What a host passes to `mesh_set_health` (edge/README.md): the registry's live data as
/// Workers KV hands it over, read into the router's `HealthSnapshot` the way
/// `diddy-mesh route --live` reads the same namespace.
///
/// ```json
/// {"now": 1764374400000, "staleAfterSeconds": 30,
///  "health": [{"name": "health:api:local-a",
///              "metadata": {"s": "healthy", "t": 1764374399000, "l": 12, "c": "closed"}}],
///  "registrations": {"search": {"name": "search", "endpoints": ["https://search-1.example"],
///                               "registeredAt": 1764374400000}}}
/// ```
///
/// `health` is the `keys` of a KV listing of `health:` as the runtime returns them (other
/// members, such as `expiration`, are ignored); `registrations` holds the values of the
/// `service:<name>` keys by service name. `now` (epoch milliseconds) is when the host read
/// them: a record's age is measured from it, and a record older than `staleAfterSeconds`
/// (30 by default, as in the tools) counts as none. The envelope is strict, as a request is:
/// an unknown member or one of the wrong kind refuses the whole input. What it carries from
/// KV is read as the registry reader reads it: a listing entry or registration that is not
/// shaped as documented is left out and counted, never a refusal.
enum HealthInput {
    /// The largest input read: a listing of some 50,000 keys with their summaries. A KV
    /// listing page holds 1,000 keys, so a host reaches this only by reading many pages.
    static let maximumSize = 8 << 20

    /// Deep enough for an endpoint's `location` inside a registration; deeper input is
    /// refused by the parser without recursing into it.
    static let maximumDepth = 8

    static let keys = ["now", "staleAfterSeconds", "health", "registrations"]

    /// The snapshot read, with counts for the answer.
    struct Parsed {
        var snapshot: HealthSnapshot
        /// Listing entries read as records.
        var records = 0
        /// Listing entries and registrations left out because they are not shaped as
        /// documented.
        var ignored = 0
        /// Registrations read.
        var registrations = 0
    }

    /// The snapshot in `bytes`, or why the input is refused (``EdgeStatus/badRequest``).
    static func parse(_ bytes: [UInt8]) -> Result<Parsed, HostBytes.Refusal> {
        let root: StrictJSONReader.Value
        switch StrictJSONReader.read(bytes, maxDepth: maximumDepth) {
        case .success(let value): root = value
        case .failure(let error): return refuse("the health is not valid JSON: \(error)")
        }
        guard let members = root.members else {
            return refuse(
                "the health must be an object: {\"now\": <epoch ms>, \"health\": [...], \"registrations\": {...}}")
        }
        for member in members where !keys.contains(where: { $0.hasSameBytes(as: member.name) }) {
            return refuse("unknown key '\(member.name)' in the health (allowed: \(keys.joined(separator: ", ")))")
        }
        guard let now = HealthRecordReading.value("now", of: root)?.number, now.isFinite
        else { return refuse("health.now must be a number: when the records were read, in epoch milliseconds") }
        var staleAfter = HealthSnapshot.empty.staleAfterSeconds
        if let value = HealthRecordReading.value("staleAfterSeconds", of: root) {
            guard let seconds = value.number, seconds.isFinite, seconds >= 0 else {
                return refuse("health.staleAfterSeconds must be a number of seconds, 0 or more")
            }
            staleAfter = seconds
        }
        var parsed = Parsed(snapshot: HealthSnapshot(staleAfterSeconds: staleAfter))
        if let listing = HealthRecordReading.value("health", of: root) {
            guard let entries = listing.elements else {
                return refuse("health.health must be an array: the keys of a KV listing of 'health:'")
            }
            readListing(entries, now: now / 1000, into: &parsed)
        }
        if let registrations = HealthRecordReading.value("registrations", of: root) {
            guard let members = registrations.members else {
                return refuse("health.registrations must be an object: service:<name> values by service name")
            }
            for member in members {
                guard let endpoints = RegistrationReading.endpoints(of: member.value) else {
                    parsed.ignored += 1
                    continue
                }
                parsed.snapshot.registrations[member.name] = endpoints
                parsed.registrations += 1
            }
        }
        return .success(parsed)
    }

    /// Reads each `{"name", "metadata"}` entry of a listing; `now` is in epoch seconds.
    private static func readListing(_ entries: [StrictJSONReader.Value], now: Double, into parsed: inout Parsed) {
        for entry in entries {
            guard let key = HealthRecordReading.value("name", of: entry)?.string,
                let names = HealthRecordReading.names(ofKey: key),
                let metadata = HealthRecordReading.value("metadata", of: entry),
                let health = HealthRecordReading.health(summary: metadata, now: now)
            else {
                parsed.ignored += 1
                continue
            }
            parsed.snapshot.records[names.service, default: [:]][names.endpointId] = health
            parsed.records += 1
        }
    }

    private static func refuse(_ message: String) -> Result<Parsed, HostBytes.Refusal> {
        .failure(HostBytes.Refusal(.badRequest, message))
    }
}
