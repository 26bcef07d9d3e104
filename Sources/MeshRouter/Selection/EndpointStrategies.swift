import MeshConfig
import MeshSyntax

/// What a strategy needs besides the candidates.
struct StrategyContext {
    /// The service's endpoints; candidates point into them.
    var endpoints: ServiceEndpoints
    /// The request's geo fields (for `geographic`).
    var geo: GeoContext
    var state: RouterState
    var settings: BalancerSettings
}

/// Why a strategy picked what it picked, as values: the lean path never turns it into
/// text, the traced path renders it with ``text``.
enum StrategyReason {
    case roundRobin(position: Int, count: Int)
    case random(position: Int, count: Int, seed: UInt64?)
    case weighted(weight: Double, total: Double)
    case sameRegion(String)
    case sameContinent(String)
    case nearest(km: Double)
    case noPlacement
    case lowestLatency(ms: Double, metric: String)
    case noLatency
    case fewestInFlight(Int)
}

/// A strategy's pick: an index into the candidates and the reason for the trace.
struct StrategyPick {
    var index: Int
    var reason: StrategyReason
    /// How many candidates tied for the pick (more than one: a round-robin chose).
    var tied: Int = 1

    /// The reason as the trace writes it.
    var text: String {
        let base: String
        switch reason {
        case .roundRobin(let position, let count): base = "next in order: \(position + 1) of \(count)"
        case .random(let position, let count, let seed?):
            base = "uniform random: \(position + 1) of \(count) (seed \(seed))"
        case .random(let position, let count, nil): base = "uniform random: \(position + 1) of \(count)"
        case .weighted(let weight, let total):
            base =
                "smooth weighted round-robin (weight \(SelectionText.compact(weight)) of "
                + "\(SelectionText.compact(total)))"
        case .sameRegion(let region): base = "nearest healthy: \(region), same region"
        case .sameContinent(let continent): base = "nearest healthy: same continent \(continent)"
        case .nearest(let km): base = "nearest healthy: \(SelectionText.fixed(km, digits: 0)) km away"
        case .noPlacement: base = "no endpoint in the request's region or continent, no known distance"
        case .lowestLatency(let ms, let metric): base = "lowest latency \(SelectionText.compact(ms)) ms (\(metric))"
        case .noLatency: base = "no latency known"
        case .fewestInFlight(let fewest): base = "fewest in flight: \(fewest)"
        }
        return tied > 1 ? base + " (\(tied) tied, round-robin)" : base
    }
}

/// The six load-balancing strategies of docs/guide/routing.md over a non-empty candidate buffer.
/// Every ranking strategy breaks ties with a round-robin of its own (per service and
/// strategy), so tied endpoints share the traffic and the plain round-robin counter of the
/// service is not disturbed.
///
/// The candidates are a buffer the caller owns (on the stack for a decision); strategies
/// may write the candidates' scratch fields, and never allocate.
enum EndpointStrategies {
    typealias Candidates = UnsafeMutableBufferPointer<SelectionCandidate>

    static func pick(from candidates: Candidates, context: StrategyContext) -> StrategyPick {
        switch context.settings.strategy {
        case .roundRobin: roundRobin(candidates, context: context)
        case .random: random(candidates, context: context)
        case .weighted: weighted(candidates, context: context)
        case .geographic: geographic(candidates, context: context)
        case .latency: latency(candidates, context: context)
        case .leastConnections: leastConnections(candidates, context: context)
        }
    }

    static func roundRobin(_ candidates: Candidates, context: StrategyContext) -> StrategyPick {
        let index = context.state.nextRoundRobin(context.endpoints.service, count: candidates.count)
        return StrategyPick(index: index, reason: .roundRobin(position: index, count: candidates.count))
    }

    /// Uniform; with a `seed` option the draws come from a source of their own seeded by it.
    static func random(_ candidates: Candidates, context: StrategyContext) -> StrategyPick {
        let count = candidates.count
        if let seed = context.settings.seed {
            let index = context.state.withRandom(key: context.endpoints.service, seed: seed) {
                $0.nextIndex(below: count)
            }
            return StrategyPick(index: index, reason: .random(position: index, count: count, seed: seed))
        }
        let index = context.state.withRandom { $0.nextIndex(below: count) }
        return StrategyPick(index: index, reason: .random(position: index, count: count, seed: nil))
    }

    /// Smooth weighted round-robin by endpoint `weight` (default 1).
    static func weighted(_ candidates: Candidates, context: StrategyContext) -> StrategyPick {
        let endpoints = context.endpoints.endpoints
        let index =
            context.state.nextSmoothWeighted(
                context.endpoints.service, count: candidates.count,
                id: { endpoints[candidates[$0].position].id },
                weight: { endpoints[candidates[$0].position].weight }) ?? 0
        // The same left-to-right sum the cycle adds up, for the trace's "of total".
        var total = 0.0
        for candidate in candidates { total += RouterState.effectiveWeight(endpoints[candidate.position].weight) }
        let weight = RouterState.effectiveWeight(endpoints[candidates[index].position].weight)
        return StrategyPick(index: index, reason: .weighted(weight: weight, total: total))
    }

    /// Same region, then same continent, then the nearest known location, then any.
    static func geographic(_ candidates: Candidates, context: StrategyContext) -> StrategyPick {
        let geo = context.geo
        let endpoints = context.endpoints.endpoints
        if let region = GeoPlacement.region(of: geo),
            candidates.contains(where: { endpoints[$0.position].region.hasSameBytes(as: region) })
        {
            return tie(candidates, context: context, reason: .sameRegion(region)) {
                endpoints[$0.position].region.hasSameBytes(as: region)
            }
        }
        if let continent = GeoPlacement.continent(of: geo),
            candidates.contains(where: { endpoints[$0.position].continent.hasSameBytes(as: continent) })
        {
            return tie(candidates, context: context, reason: .sameContinent(continent)) {
                endpoints[$0.position].continent.hasSameBytes(as: continent)
            }
        }
        if let latitude = geo.latitude, let longitude = geo.longitude, latitude.isFinite, longitude.isFinite {
            // The first known distance, then any smaller one: `Sequence.min()`'s rule.
            var nearest: Double?
            for index in candidates.indices {
                let endpoint = endpoints[candidates[index].position]
                guard let endpointLatitude = endpoint.latitude, let endpointLongitude = endpoint.longitude else {
                    candidates[index].rank = nil
                    continue
                }
                let km = GeoPlacement.distanceKm(
                    latitude1: latitude, longitude1: longitude, latitude2: endpointLatitude,
                    longitude2: endpointLongitude)
                candidates[index].rank = km
                if let current = nearest, !(km < current) { continue }
                nearest = km
            }
            if let nearest {
                // Endpoints within a metre of each other are in the same place.
                return tie(candidates, context: context, reason: .nearest(km: nearest)) { candidate in
                    guard let km = candidate.rank else { return false }
                    return km - nearest < 0.001
                }
            }
        }
        return tie(candidates, context: context, reason: .noPlacement) { _ in true }
    }

    /// The lowest recent latency of a fresh record: `p50` reads the record's p50, `ewma`
    /// (the default; any other value too) its EWMA, else its p50. Unknown ranks last.
    static func latency(_ candidates: Candidates, context: StrategyContext) -> StrategyPick {
        let readsP50 = context.settings.readsP50
        var lowest: Double?
        for index in candidates.indices {
            candidates[index].rank = nil
            guard let record = candidates[index].record else { continue }
            let value = readsP50 ? record.latencyMs : (record.ewmaMs ?? record.latencyMs)
            guard let value, value.isFinite, value >= 0 else { continue }
            candidates[index].rank = value
            if let current = lowest, !(value < current) { continue }
            lowest = value
        }
        guard let lowest else {
            return tie(candidates, context: context, reason: .noLatency) { _ in true }
        }
        return tie(candidates, context: context, reason: .lowestLatency(ms: lowest, metric: context.settings.metric)) {
            $0.rank == lowest
        }
    }

    /// Fewest in-flight requests: the count the caller put in the snapshot when there is
    /// one (previews), else this router instance's own count.
    static func leastConnections(_ candidates: Candidates, context: StrategyContext) -> StrategyPick {
        let endpoints = context.endpoints.endpoints
        var fewest: Int?
        for index in candidates.indices {
            let count =
                candidates[index].inFlightHint
                ?? context.state.inFlight(
                    service: context.endpoints.service, endpoint: endpoints[candidates[index].position].id)
            candidates[index].count = count
            if let current = fewest, !(count < current) { continue }
            fewest = count
        }
        let least = fewest ?? 0
        return tie(candidates, context: context, reason: .fewestInFlight(least)) { $0.count == least }
    }

    /// Picks among the candidates for which `isTied` holds with the strategy's own
    /// round-robin: counts them, draws a position, then walks to it, so no index list is
    /// built. With none tied it answers the first candidate.
    static func tie(
        _ candidates: Candidates, context: StrategyContext, reason: StrategyReason,
        where isTied: (SelectionCandidate) -> Bool
    ) -> StrategyPick {
        var count = 0
        var first: Int?
        for index in candidates.indices where isTied(candidates[index]) {
            if first == nil { first = index }
            count += 1
        }
        guard count > 1, let first else { return StrategyPick(index: first ?? 0, reason: reason, tied: count) }
        let position = context.state.nextRoundRobin(context.endpoints.tieKey(context.settings.strategy), count: count)
        var seen = 0
        for index in candidates.indices where isTied(candidates[index]) {
            if seen == position { return StrategyPick(index: index, reason: reason, tied: count) }
            seen += 1
        }
        // Unreachable: `position` is below `count`.
        return StrategyPick(index: first, reason: reason, tied: count)
    }
}
