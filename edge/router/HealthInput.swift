import MeshConfig
import MeshRouter
import MeshSyntax

/// What a host passes to `mesh_set_health` (edge/README.md, "Live health"): the registry's
/// live data as Workers KV hands it over, in the tagged field form (``TaggedFields``), read
/// into the router's `HealthSnapshot` the way `diddy-mesh route --live` reads the same
/// namespace. The host writes the form from what it parsed, without judging any of it
/// (edge/worker/health-fields.mjs, and `EdgeHealthInput` for `route --engine wasm`), in this
/// order:
///
/// - `now`, when the host read the records (epoch milliseconds): a record's age is measured
///   from it;
/// - `staleAfterSeconds`: a record older than this counts as none (30 when absent, as in the
///   tools);
/// - `health`, the keys of a KV listing of `health:`: `a` and a count, then for each its
///   `name` and its `metadata`, the summary: `o`, then its `s`, `t`, `l` and `c`;
/// - `registrations`, the values of the `service:<name>` keys: `a` and a count, then for each
///   the service's name and the value: `o`, then its `name`, `registeredAt`, `version` and
///   `endpoints` (`a` and a count; each endpoint a string, or `o` and its `url`, `id`,
///   `region`, `continent`, `weight`, `insecure` and `location`, which is `o` with `lat` and
///   `lon`).
///
/// ```text
/// \0n1764374400000\0n30\0a1\0shealth:api:local-a\0o\0shealthy\0n1764374399000\0n12\0sclosed\0-
/// ```
///
/// The envelope is strict, as a request is: a `now` or `staleAfterSeconds` that is not a
/// number, a `health` or `registrations` of another kind, or a form that ends early, goes on
/// past its end or has a tag it does not know refuses the whole input. What it carries from
/// KV is read as the registry reader reads it: a listing entry or registration that is not
/// shaped as documented is left out and counted, never a refusal.
enum HealthInput {
    /// The largest input read: a listing of some 50,000 keys with their summaries. A KV
    /// listing page holds 1,000 keys, so a host reaches this only by reading many pages.
    static let maximumSize = 8 << 20

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
        guard bytes.first == 0 else {
            return refuse(
                "the health must be in the tagged field form (edge/README.md, \"Live health\"), not JSON or other text")
        }
        var fields = TaggedFields(bytes)
        guard let now = fields.next()?.number, now.isFinite
        else { return refuse("health.now must be a number: when the records were read, in epoch milliseconds") }
        var staleAfter = HealthSnapshot.empty.staleAfterSeconds
        switch fields.next() {
        case .absent?: break
        case .number(let seconds?)? where seconds.isFinite && seconds >= 0: staleAfter = seconds
        default: return refuse("health.staleAfterSeconds must be a number of seconds, 0 or more")
        }
        var parsed = Parsed(snapshot: HealthSnapshot(staleAfterSeconds: staleAfter))
        // Not the host's data but its writing of the form: said with where reading stopped.
        func damaged() -> Result<Parsed, HostBytes.Refusal> {
            refuse("the health's fields are damaged after field \(fields.fieldsRead)")
        }
        switch fields.next() {
        case .array(let count)?:
            for _ in 0..<count {
                guard let read = readEntry(&fields, now: now / 1000, into: &parsed) else { return damaged() }
                if !read { parsed.ignored += 1 }
            }
        case .absent?: break
        case nil: return damaged()
        default: return refuse("health.health must be an array: the keys of a KV listing of 'health:'")
        }
        switch fields.next() {
        case .array(let count)?:
            for _ in 0..<count {
                guard let read = readRegistration(&fields, into: &parsed) else { return damaged() }
                if !read { parsed.ignored += 1 }
            }
        case .absent?: break
        case nil: return damaged()
        default: return refuse("health.registrations must be an object: service:<name> values by service name")
        }
        guard fields.isAtEnd else { return damaged() }
        return .success(parsed)
    }

    /// Reads one listing entry: whether it was a record, or nil when the form is damaged.
    private static func readEntry(_ fields: inout TaggedFields, now: Double, into parsed: inout Parsed) -> Bool? {
        guard let name = fields.next(), let metadata = fields.next() else { return nil }
        guard case .object = metadata else { return false }
        guard let status = fields.next(), let checkedAt = fields.next(), let latency = fields.next(),
            let circuit = fields.next()
        else { return nil }
        guard let key = name.string, let names = HealthRecordReading.names(ofKey: key),
            let health = HealthRecordReading.health(
                status: status, checkedAt: checkedAt, latency: latency, circuit: circuit, now: now)
        else { return false }
        parsed.snapshot.records[names.service, default: [:]][names.endpointId] = health
        parsed.records += 1
        return true
    }

    /// Reads one registration: whether it was read, or nil when the form is damaged.
    private static func readRegistration(_ fields: inout TaggedFields, into parsed: inout Parsed) -> Bool? {
        guard let name = fields.next(), let value = fields.next() else { return nil }
        guard case .object = value else { return false }
        guard let endpoints = RegistrationReading.endpoints(&fields) else { return nil }
        guard let service = name.string, let endpoints else { return false }
        parsed.snapshot.registrations[service] = endpoints
        parsed.registrations += 1
        return true
    }

    private static func refuse(_ message: String) -> Result<Parsed, HostBytes.Refusal> {
        .failure(HostBytes.Refusal(.badRequest, message))
    }
}
