import Synchronization

/// The mutable state of one router instance: round-robin positions, smooth weighted
/// round-robin weights, in-flight counts and random sources. Selection is otherwise pure;
/// everything that must persist between decisions lives here, behind one lock, so one
/// instance can be shared by concurrent requests.
///
/// Two instances never share state: previews that must be reproducible create a fresh
/// instance with a fixed seed.
public final class RouterState: Sendable {
    private struct WeightedCycle {
        /// The candidate ids the weights belong to, in order.
        var ids: [String]
        /// nginx's `current_weight` per candidate.
        var current: [Double]
    }

    private struct SeededSource {
        var seed: UInt64
        var random: SeededRandom
    }

    private struct Storage {
        var counters: [String: Int] = [:]
        var weighted: [String: WeightedCycle] = [:]
        var inFlight: [String: [String: Int]] = [:]
        var random: SeededRandom
        var seeded: [String: SeededSource] = [:]
    }

    private let storage: Mutex<Storage>

    /// Creates fresh state; `seed` seeds the random source shared by random draws that have
    /// no seed of their own (split draws, `random` without a `seed` option).
    public init(seed: UInt64 = 0) {
        storage = Mutex(Storage(random: SeededRandom(seed: seed)))
    }

    /// The next position, in `0..<count`, of the round-robin named `key` (a service name, or
    /// a service and strategy for tie-breaks); 0 when `count <= 1`. The counter keeps
    /// running when `count` changes, so a shrinking candidate list does not restart it.
    public func nextRoundRobin(_ key: String, count: Int) -> Int {
        guard count > 1 else { return 0 }
        return storage.withLock { storage in
            let counter = storage.counters[key] ?? 0
            storage.counters[key] = counter &+ 1
            return Int(UInt(bitPattern: counter) % UInt(count))
        }
    }

    /// Smooth weighted round-robin as nginx does it: every candidate's current weight grows
    /// by its weight, the largest wins (the first on a tie) and gives back the total.
    /// Over `total` picks each candidate is picked exactly `weight` times (integer weights),
    /// spread out rather than in bursts. A different candidate list (an endpoint left or
    /// rejoined) restarts the cycle, as nginx does on reconfiguration.
    ///
    /// - Parameters:
    ///   - key: the service.
    ///   - ids: candidate ids, in order.
    ///   - weights: their weights; missing, non-finite or non-positive weights count as 1.
    /// - Returns: the index of the pick, nil when `ids` is empty.
    public func nextSmoothWeighted(_ key: String, ids: [String], weights: [Double]) -> Int? {
        guard !ids.isEmpty else { return nil }
        let effective = ids.indices.map { index in
            index < weights.count && weights[index].isFinite && weights[index] > 0 ? weights[index] : 1
        }
        return storage.withLock { storage in
            var cycle = storage.weighted[key] ?? WeightedCycle(ids: [], current: [])
            if cycle.ids != ids {
                cycle = WeightedCycle(ids: ids, current: Array(repeating: 0, count: ids.count))
            }
            var total = 0.0
            var best = 0
            for index in ids.indices {
                cycle.current[index] += effective[index]
                total += effective[index]
                if cycle.current[index] > cycle.current[best] { best = index }
            }
            cycle.current[best] -= total
            storage.weighted[key] = cycle
            return best
        }
    }

    /// Records that a request to `endpoint` (its id) of `service` started; pair with
    /// ``endRequest(service:endpoint:)``. Selection never calls this itself: only the code
    /// that sends the request knows when it starts and ends.
    public func beginRequest(service: String, endpoint: String) {
        storage.withLock { storage in
            storage.inFlight[service, default: [:]][endpoint, default: 0] += 1
        }
    }

    /// Records that a request started with ``beginRequest(service:endpoint:)`` finished.
    /// Unmatched calls are ignored rather than driving the count negative.
    public func endRequest(service: String, endpoint: String) {
        storage.withLock { storage in
            guard let count = storage.inFlight[service]?[endpoint] else { return }
            storage.inFlight[service]?[endpoint] = count > 1 ? count - 1 : nil
        }
    }

    /// The requests to `endpoint` of `service` in flight through this instance.
    public func inFlight(service: String, endpoint: String) -> Int {
        storage.withLock { $0.inFlight[service]?[endpoint] ?? 0 }
    }

    /// A new generator for one decision, seeded from the shared source: decisions get
    /// independent streams without holding the lock while they draw, and the sequence of
    /// generators still depends only on the init seed and the order of calls.
    public func makeRandom() -> SeededRandom {
        storage.withLock { storage in SeededRandom(seed: storage.random.next()) }
    }

    /// Runs `body` with the instance's shared random source (seeded at init).
    public func withRandom<Result: Sendable>(_ body: (inout SeededRandom) -> Result) -> Result {
        storage.withLock { storage in body(&storage.random) }
    }

    /// Runs `body` with the random source named `key` seeded by `seed` (a service whose
    /// `loadBalancer.seed` is set): its sequence depends only on the seed and on how many
    /// draws this instance made from it, so previews with a seed are reproducible. Changing
    /// the seed restarts the sequence.
    public func withRandom<Result: Sendable>(key: String, seed: UInt64, _ body: (inout SeededRandom) -> Result) -> Result {
        storage.withLock { storage in
            var source = storage.seeded[key] ?? SeededSource(seed: seed, random: SeededRandom(seed: seed))
            if source.seed != seed { source = SeededSource(seed: seed, random: SeededRandom(seed: seed)) }
            let result = body(&source.random)
            storage.seeded[key] = source
            return result
        }
    }
}
