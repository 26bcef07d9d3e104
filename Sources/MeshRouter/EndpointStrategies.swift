import MeshConfig

/// What a strategy needs besides the candidates.
struct StrategyContext {
    var service: String
    var request: RouteRequest
    var state: RouterState
    var settings: BalancerSettings
}

/// A strategy's pick: an index into the candidates and the reason for the trace.
struct StrategyPick {
    var index: Int
    var reason: String
}

/// The six load-balancing strategies of routing.md over a non-empty candidate list.
/// Every ranking strategy breaks ties with a round-robin of its own (per service and
/// strategy), so tied endpoints share the traffic and the plain round-robin counter of the
/// service is not disturbed.
enum EndpointStrategies {
    static func pick(from candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        switch context.settings.strategy {
        case .roundRobin: roundRobin(candidates, context: context)
        case .random: random(candidates, context: context)
        case .weighted: weighted(candidates, context: context)
        case .geographic: geographic(candidates, context: context)
        case .latency: latency(candidates, context: context)
        case .leastConnections: leastConnections(candidates, context: context)
        }
    }

    static func roundRobin(_ candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        let index = context.state.nextRoundRobin(context.service, count: candidates.count)
        return StrategyPick(index: index, reason: "next in order: \(index + 1) of \(candidates.count)")
    }

    /// Uniform; with a `seed` option the draws come from a source of their own seeded by it.
    static func random(_ candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        let count = candidates.count
        if let seed = context.settings.seed {
            let index = context.state.withRandom(key: context.service, seed: seed) { $0.nextIndex(below: count) }
            return StrategyPick(index: index, reason: "uniform random: \(index + 1) of \(count) (seed \(seed))")
        }
        let index = context.state.withRandom { $0.nextIndex(below: count) }
        return StrategyPick(index: index, reason: "uniform random: \(index + 1) of \(count)")
    }

    /// Smooth weighted round-robin by endpoint `weight` (default 1).
    static func weighted(_ candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        let weights = candidates.map { $0.endpoint.weight?.value ?? 1 }
        let index = context.state.nextSmoothWeighted(context.service, ids: candidates.map(\.id), weights: weights) ?? 0
        let effective = weights.map { $0.isFinite && $0 > 0 ? $0 : 1 }
        let total = effective.reduce(0, +)
        return StrategyPick(index: index, reason: "smooth weighted round-robin (weight \(SelectionText.compact(effective[index])) of \(SelectionText.compact(total)))")
    }

    /// Same region, then same continent, then the nearest known location, then any.
    static func geographic(_ candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        let geo = context.request.cf
        if let region = GeoPlacement.region(of: geo) {
            let matches = candidates.indices.filter { GeoPlacement.region(of: candidates[$0].endpoint) == region }
            if !matches.isEmpty { return tie(matches, context: context, reason: "nearest healthy: \(region), same region") }
        }
        if let continent = GeoPlacement.continent(of: geo) {
            let matches = candidates.indices.filter { GeoPlacement.continent(of: candidates[$0].endpoint) == continent }
            if !matches.isEmpty { return tie(matches, context: context, reason: "nearest healthy: same continent \(continent)") }
        }
        if let latitude = geo.latitude, let longitude = geo.longitude, latitude.isFinite, longitude.isFinite {
            var distances: [(index: Int, km: Double)] = []
            for (index, candidate) in candidates.enumerated() {
                guard let location = candidate.endpoint.location else { continue }
                distances.append((index, GeoPlacement.distanceKm(latitude1: latitude, longitude1: longitude,
                                                                  latitude2: location.latitude, longitude2: location.longitude)))
            }
            if let nearest = distances.map(\.km).min() {
                // Endpoints within a metre of each other are in the same place.
                let tied = distances.filter { $0.km - nearest < 0.001 }.map(\.index)
                return tie(tied, context: context, reason: "nearest healthy: \(SelectionText.fixed(nearest, digits: 0)) km away")
            }
        }
        return tie(Array(candidates.indices), context: context, reason: "no endpoint in the request's region or continent, no known distance")
    }

    /// The lowest recent latency of a fresh record: `p50` reads the record's p50, `ewma`
    /// (the default; any other value too) its EWMA, else its p50. Unknown ranks last.
    static func latency(_ candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        let metric = context.settings.metric
        let values: [Double?] = candidates.map { candidate in
            guard let record = candidate.record else { return nil }
            let value = metric == "p50" ? record.latencyMs : (record.ewmaMs ?? record.latencyMs)
            guard let value, value.isFinite, value >= 0 else { return nil }
            return value
        }
        guard let lowest = values.compactMap({ $0 }).min() else {
            return tie(Array(candidates.indices), context: context, reason: "no latency known")
        }
        let tied = candidates.indices.filter { values[$0] == lowest }
        return tie(tied, context: context, reason: "lowest latency \(SelectionText.compact(lowest)) ms (\(metric))")
    }

    /// Fewest in-flight requests: the count the caller put in the snapshot when there is
    /// one (previews), else this router instance's own count.
    static func leastConnections(_ candidates: [SelectionCandidate], context: StrategyContext) -> StrategyPick {
        let counts = candidates.map { candidate in
            candidate.inFlightHint ?? context.state.inFlight(service: context.service, endpoint: candidate.id)
        }
        let fewest = counts.min() ?? 0
        let tied = candidates.indices.filter { counts[$0] == fewest }
        return tie(tied, context: context, reason: "fewest in flight: \(fewest)")
    }

    /// Picks among `indices` (non-empty) with the strategy's own round-robin.
    static func tie(_ indices: [Int], context: StrategyContext, reason: String) -> StrategyPick {
        guard indices.count > 1 else { return StrategyPick(index: indices.first ?? 0, reason: reason) }
        let key = context.service + " " + context.settings.strategy.rawValue
        let position = context.state.nextRoundRobin(key, count: indices.count)
        return StrategyPick(index: indices[position], reason: reason + " (\(indices.count) tied, round-robin)")
    }
}
