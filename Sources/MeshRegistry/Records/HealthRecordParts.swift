import MeshRouter
import WireJSON

/// The nested objects of a health record: latency, circuit, failure and checker.
extension HealthRecord {
    /// `latencyMs`: statistics over the last ``maximumSamples`` successful probes.
    /// Every figure is nil (`null`) until the first success.
    public struct LatencyStats: Sendable, Hashable {
        /// The window size of docs/guide/registry.md.
        public static let maximumSamples = 32

        /// The latest probe's latency.
        public var last: Double?
        /// The median of the window.
        public var p50: Double?
        /// The 95th percentile of the window.
        public var p95: Double?
        /// The exponentially weighted moving average.
        public var ewma: Double?
        /// The window, oldest first; at most ``maximumSamples`` (older ones are dropped).
        public var samples: [Double] {
            didSet { if samples.count > Self.maximumSamples { samples = Array(samples.suffix(Self.maximumSamples)) } }
        }

        /// Creates statistics; only the newest ``maximumSamples`` samples are kept.
        public init(
            last: Double? = nil, p50: Double? = nil, p95: Double? = nil, ewma: Double? = nil, samples: [Double] = []
        ) {
            self.last = last
            self.p50 = p50
            self.p95 = p95
            self.ewma = ewma
            self.samples = Array(samples.suffix(Self.maximumSamples))
        }

        var jsonValue: JSONValue {
            let object: JSONObject = [
                "last": .orNull(last), "p50": .orNull(p50), "p95": .orNull(p95), "ewma": .orNull(ewma),
                "samples": .array(samples.filter(\.isFinite).map(JSONValue.double)),
            ]
            return .object(object)
        }

        init(_ fields: RecordFields) throws(RegistryError) {
            var samples: [Double] = []
            for (index, value) in try fields.array("samples").enumerated() {
                guard let number = value.doubleValue else {
                    throw fields.wrongKind("samples[\(index)]", .number, value)
                }
                samples.append(number)
            }
            self.init(
                last: try fields.optionalDouble("last"), p50: try fields.optionalDouble("p50"),
                p95: try fields.optionalDouble("p95"),
                ewma: try fields.optionalDouble("ewma"), samples: samples)
        }
    }

    /// `circuit`: the breaker's state and history.
    public struct CircuitRecord: Sendable, Hashable {
        /// The state.
        public var state: CircuitState
        /// When it last opened, epoch ms; nil while it has never opened since closing.
        public var openedAt: Int64?
        /// When an open circuit lets a trial request through, epoch ms.
        public var resetAt: Int64?
        /// How many times it has opened.
        public var trips: Int

        /// Creates a circuit record.
        public init(state: CircuitState = .closed, openedAt: Int64? = nil, resetAt: Int64? = nil, trips: Int = 0) {
            self.state = state
            self.openedAt = openedAt
            self.resetAt = resetAt
            self.trips = trips
        }

        var jsonValue: JSONValue {
            let object: JSONObject = [
                "state": .string(state.rawValue), "openedAt": .orNull(openedAt), "resetAt": .orNull(resetAt),
                "trips": .int(Int64(trips)),
            ]
            return .object(object)
        }

        init(_ fields: RecordFields) throws(RegistryError) {
            self.init(
                state: try fields.choice("state", CircuitState.self, allowed: CircuitState.allCases),
                openedAt: try fields.optionalInt64("openedAt"), resetAt: try fields.optionalInt64("resetAt"),
                trips: try fields.count("trips"))
        }
    }

    /// Why a probe failed (`lastError`).
    public enum FailureKind: String, Sendable, Hashable, CaseIterable {
        /// No answer within the health check timeout.
        case timeout
        /// The connection could not be made (refused, DNS, reset).
        case connect
        /// An answer with a status the health check does not expect.
        case status
        /// The TLS handshake failed.
        case tls
        /// The answer's body could not be read.
        case body
    }

    /// `lastError`: `{"kind", "message", "status"}`.
    public struct ProbeFailure: Sendable, Hashable {
        /// The kind.
        public var kind: FailureKind
        /// A short message for people.
        public var message: String
        /// The HTTP status, when there was an answer.
        public var status: Int?

        /// Creates a failure.
        public init(kind: FailureKind, message: String, status: Int? = nil) {
            self.kind = kind
            self.message = message
            self.status = status
        }

        var jsonValue: JSONValue {
            let object: JSONObject = [
                "kind": .string(kind.rawValue), "message": .string(message), "status": .orNull(status.map(Int64.init)),
            ]
            return .object(object)
        }

        init(_ fields: RecordFields) throws(RegistryError) {
            let status = try fields.optionalInt64("status")
            guard status.map({ (100...599).contains($0) }) ?? true else {
                throw fields.invalid("status", "\(status ?? 0) is not an HTTP status")
            }
            self.init(
                kind: try fields.choice("kind", FailureKind.self, allowed: FailureKind.allCases),
                message: try fields.string("message"), status: status.map { Int($0) })
        }
    }

    /// `checker`: the host that ran the probe and, inside a Worker, its colo.
    public struct Checker: Sendable, Hashable {
        /// The host name.
        public var host: String
        /// The Cloudflare colo (`LHR`), nil outside Workers.
        public var colo: String?

        /// Creates a checker.
        public init(host: String, colo: String? = nil) {
            self.host = host
            self.colo = colo
        }

        var jsonValue: JSONValue {
            .object(["host": .string(host), "colo": .orNull(colo)])
        }

        init(_ fields: RecordFields) throws(RegistryError) {
            self.init(host: try fields.string("host"), colo: try fields.optionalString("colo"))
        }
    }
}
