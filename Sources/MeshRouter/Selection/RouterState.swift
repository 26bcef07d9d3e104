// Under Embedded Swift, whose Synchronization has no `Mutex`, MeshSyntax's stand-in serves.
import MeshSyntax
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

        /// One pick: every current weight grows by its weight, the largest (the first on a
        /// tie) wins and gives back the total. Restarts first when the candidates changed.
        mutating func advance(count: Int, id: (Int) -> String, weight: (Int) -> Double) -> Int {
            if !holds(count: count, id: id) {
                ids = (0..<count).map(id)
                current = Array(repeating: 0, count: count)
            }
            var largest = 0.0
            for index in 0..<count { largest = max(largest, RouterState.effectiveWeight(weight(index))) }
            let scale = WeightScale(largest: largest)
            var total = 0.0
            var best = 0
            for index in 0..<count {
                let effective = scale.apply(RouterState.effectiveWeight(weight(index)))
                current[index] += effective
                total += effective
                if current[index] > current[best] { best = index }
            }
            current[best] -= total
            return best
        }

        /// Whether the cycle belongs to exactly these candidates, in this order.
        private func holds(count: Int, id: (Int) -> String) -> Bool {
            guard ids.count == count, current.count == count else { return false }
            for index in 0..<count where !ids[index].hasSameBytes(as: id(index)) { return false }
            return true
        }
    }

    private struct SeededSource {
        var seed: UInt64
        var random: SeededRandom

        /// Runs `body` on the source, restarting it first when the seed changed.
        mutating func draw<Result>(seed: UInt64, _ body: (inout SeededRandom) -> Result) -> Result {
            if self.seed != seed { self = SeededSource(seed: seed, random: SeededRandom(seed: seed)) }
            return body(&random)
        }
    }

    private struct Storage {
        var counters: NameMap<Int> = [:]
        var weighted: NameMap<WeightedCycle> = [:]
        var inFlight: NameMap<NameMap<Int>> = [:]
        var random: SeededRandom
        var seeded: NameMap<SeededSource> = [:]
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
            // One lookup, updated in place.
            let counter = Self.postIncrement(&storage.counters[key, default: 0])
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
        nextSmoothWeighted(key, count: ids.count, id: { ids[$0] }, weight: { $0 < weights.count ? weights[$0] : 1 })
    }

    /// ``nextSmoothWeighted(_:ids:weights:)`` over candidates given by position, so a
    /// decision passes its candidates without building id and weight arrays. The cycle is
    /// updated in place in the lock; it allocates only when the cycle (re)starts, to keep
    /// the new candidate ids.
    func nextSmoothWeighted(_ key: String, count: Int, id: (Int) -> String, weight: (Int) -> Double) -> Int? {
        guard count > 0 else { return nil }
        return storage.withLock { storage in
            storage.weighted[key, default: WeightedCycle(ids: [], current: [])].advance(
                count: count, id: id, weight: weight)
        }
    }

    /// Returns `value`, then adds one (wrapping).
    private static func postIncrement(_ value: inout Int) -> Int {
        defer { value &+= 1 }
        return value
    }

    /// A weight as the weighted strategy counts it: missing, non-finite or non-positive
    /// weights count as 1.
    static func effectiveWeight(_ weight: Double) -> Double {
        weight.isFinite && weight > 0 ? weight : 1
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
    public func withRandom<Result: Sendable>(key: String, seed: UInt64, _ body: (inout SeededRandom) -> Result)
        -> Result
    {
        storage.withLock { storage in
            // Drawn in place: one lookup, and the source is two integers, never a copy to write back.
            storage.seeded[key, default: SeededSource(seed: seed, random: SeededRandom(seed: seed))].draw(
                seed: seed, body)
        }
    }
}
