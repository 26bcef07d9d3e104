import Foundation
import MeshRegistry
import MeshRouter
import Testing

/// Health records and their metadata summaries (docs/guide/registry.md, "Keys and records").
@Suite("Records: health records and summaries")
struct RecordsHealthTests {
    typealias S = RegistrySupport

    @Test("a health record encodes with exactly the keys and order of docs/guide/registry.md")
    func golden() {
        var record = S.sampleRecord()
        record.lastError = .init(kind: .status, message: "503 Service Unavailable", status: 503)
        record.checker.colo = "LHR"
        let text = String(decoding: record.encoded(), as: UTF8.self)
        #expect(
            text == #"{"service":"user-service","endpoint":"https://users.example.workers.dev","status":"healthy","#
                + #""checkedAt":1764374400000,"latencyMs":{"last":21.5,"p50":19.0,"p95":48.2,"ewma":22.1,"#
                + #""samples":[19.0,21.5,48.2]},"#
                + #""consecutiveSuccesses":12,"consecutiveFailures":0,"circuit":{"state":"closed","openedAt":null,"#
                + #""resetAt":null,"trips":0},"#
                + #""lastError":{"kind":"status","message":"503 Service Unavailable","status":503},"#
                + #""checker":{"host":"ci-runner-1","colo":"LHR"}}"#
        )
    }

    @Test("nulls are written, not left out: lastError, colo, openedAt, latencies before the first success")
    func nulls() {
        var record = S.sampleRecord()
        record.latencyMs = .init()
        record.status = .unhealthy
        let text = String(decoding: record.encoded(), as: UTF8.self)
        #expect(text.contains(#""latencyMs":{"last":null,"p50":null,"p95":null,"ewma":null,"samples":[]}"#))
        #expect(text.contains(#""lastError":null"#))
        #expect(text.contains(#""checker":{"host":"ci-runner-1","colo":null}"#))
        #expect(record.summary.encoded() == #"{"s":"unhealthy","t":1764374400000,"l":null,"c":"closed"}"#)
    }

    @Test("records round trip, an open circuit and a failure included")
    func roundTrip() throws {
        var record = S.sampleRecord()
        record.status = .degraded
        record.circuit = .init(state: .halfOpen, openedAt: 1_764_374_300_000, resetAt: 1_764_374_330_000, trips: 3)
        record.lastError = .init(kind: .timeout, message: "no answer within 2000 ms")
        #expect(try HealthRecord.decode(record.encoded()) == record)
        #expect(try HealthRecord.decode(S.sampleRecord().encoded()) == S.sampleRecord())
    }

    @Test("the example of docs/guide/registry.md decodes; integers are accepted where doubles are written")
    func specExample() throws {
        let text = #"""
            {"service": "user-service", "endpoint": "https://users.example.workers.dev", "status": "healthy",
             "checkedAt": 1764374400000, "latencyMs": {"last": 21.5, "p50": 19, "p95": 48.2, "ewma": 22.1, "samples": [19, 21.5]},
             "consecutiveSuccesses": 12, "consecutiveFailures": 0,
             "circuit": {"state": "closed", "openedAt": null, "resetAt": null, "trips": 0},
             "lastError": null, "checker": {"host": "ci-runner-1", "colo": null}}
            """#
        let record = try HealthRecord.decode(Array(text.utf8))
        #expect(record.latencyMs.p50 == 19)
        #expect(record.latencyMs.samples == [19, 21.5])
        #expect(record.checker == .init(host: "ci-runner-1", colo: nil))
        #expect(
            record.summary
                == HealthSummary(status: .healthy, checkedAt: 1_764_374_400_000, latencyP50Ms: 19, circuit: .closed))
    }

    @Test("at most 32 samples are kept, the newest")
    func sampleWindow() throws {
        var stats = HealthRecord.LatencyStats(samples: (1...40).map(Double.init))
        #expect(stats.samples == (9...40).map(Double.init))
        stats.samples.append(41)
        #expect(stats.samples.count == 32)
        #expect(stats.samples.last == 41)
        var record = S.sampleRecord()
        record.latencyMs = stats
        #expect(try HealthRecord.decode(record.encoded()).latencyMs.samples.count == 32)
    }

    @Test("summaries encode as {s, t, l, c} and round trip")
    func summary() throws {
        let summary = HealthSummary(
            status: .degraded, checkedAt: 1_764_374_400_123, latencyP50Ms: 48.5, circuit: .halfOpen)
        #expect(summary.encoded() == #"{"s":"degraded","t":1764374400123,"l":48.5,"c":"half-open"}"#)
        #expect(try HealthSummary.decode(summary.encoded()) == summary)
        #expect(S.sampleRecord().summary.encoded() == #"{"s":"healthy","t":1764374400000,"l":19.0,"c":"closed"}"#)
    }

    @Test("a summary gives the router its health with the age at a given time")
    func endpointHealth() {
        let summary = HealthSummary(status: .healthy, checkedAt: 1_764_374_400_000, latencyP50Ms: 19, circuit: .open)
        let health = summary.endpointHealth(now: 1_764_374_412.5)
        #expect(health == EndpointHealth(status: .healthy, latencyMs: 19, ageSeconds: 12.5, circuit: .open))
        #expect(
            summary.endpointHealth(now: 1_764_374_300).ageSeconds == 0, "a record from the future (clock skew) is age 0"
        )
    }

    static let badRecords: [(String, String)] = [
        ("not JSON", "not JSON"),
        ("[1, 2]", "expected a JSON object, found an array"),
        (#"{"service": "s"}"#, "endpoint is missing"),
        (valid(replacing: #""status":"healthy""#, with: #""status":5"#), "status must be a string, found a number"),
        (valid(replacing: #""status":"healthy""#, with: #""status":"unknown""#), "status is 'unknown'"),
        (
            valid(replacing: #""checkedAt":1764374400000"#, with: #""checkedAt":"yesterday""#),
            "checkedAt must be an integer"
        ),
        (
            valid(replacing: #""samples":[19.0,21.5,48.2]"#, with: #""samples":[19.0,"x"]"#),
            "latencyMs.samples[1] must be a number"
        ),
        (valid(replacing: #""p50":19.0"#, with: #""p50":true"#), "latencyMs.p50 must be a number, found a boolean"),
        (valid(replacing: #""state":"closed""#, with: #""state":"ajar""#), "circuit.state is 'ajar'"),
        (
            valid(replacing: #""consecutiveFailures":0"#, with: #""consecutiveFailures":-1"#),
            "consecutiveFailures must not be negative"
        ),
        (
            valid(replacing: #""lastError":null"#, with: #""lastError":{"kind":"boom","message":"x"}"#),
            "lastError.kind is 'boom'"
        ),
        (
            valid(replacing: #""lastError":null"#, with: #""lastError":{"kind":"status","message":"x","status":42}"#),
            "42 is not an HTTP status"
        ),
        (
            valid(replacing: #""checker":{"host":"ci-runner-1","colo":null}"#, with: #""checker":"ci""#),
            "checker must be an object"
        ),
    ]

    /// The sample record's JSON with one member replaced.
    static func valid(replacing old: String, with new: String) -> String {
        String(decoding: RegistrySupport.sampleRecord().encoded(), as: UTF8.self).replacingOccurrences(
            of: old, with: new)
    }

    @Test("a bad value under a health: key is .corrupt naming the key and what is wrong", arguments: badRecords)
    func corrupt(value: String, message: String) {
        let key = RegistryKeys.health(service: "user-service", endpointId: "https://users.example.workers.dev")
        #expect(
            value != String(decoding: S.sampleRecord().encoded(), as: UTF8.self),
            "the replacement must change the fixture")
        #expect {
            try HealthRecord.decode(Array(value.utf8), key: key)
        } throws: { error in
            guard case .corrupt(let detail) = error as? RegistryError else { return false }
            return detail.hasPrefix(key + ": ") && detail.contains(message)
        }
    }

    @Test("binary junk and invalid UTF-8 are .corrupt, not a crash")
    func junk() {
        for bytes: [UInt8] in [[], [0xFF, 0xFE, 0x00], [0x7B, 0x22, 0xC3], Array(repeating: 0x5B, count: 100_000)] {
            #expect(throws: RegistryError.self) { try HealthRecord.decode(bytes, key: "health:s:x") }
        }
    }

    @Test(
        "bad summaries are .corrupt naming the key's metadata",
        arguments: [
            "", "null", #"{"s":"healthy"}"#, #"{"s":"fine","t":1,"l":1,"c":"closed"}"#,
            #"{"s":"healthy","t":1,"l":"fast","c":"closed"}"#,
            #"{"s":"healthy","t":1,"l":1,"c":"shut"}"#,
        ])
    func corruptSummary(metadata: String) {
        #expect {
            try HealthSummary.decode(metadata, key: "health:s:x")
        } throws: { error in
            guard case .corrupt(let detail) = error as? RegistryError else { return false }
            return detail.hasPrefix("health:s:x metadata: ")
        }
    }
}
