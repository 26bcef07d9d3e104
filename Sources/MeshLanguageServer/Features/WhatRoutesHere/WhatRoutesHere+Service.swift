import MeshConfig
import MeshRouter
import MeshSyntax
import WireJSON

/// What routes to one service: the service form of `diddyMesh/whatRoutesHere`.
///
/// ```
/// {"service": {"name", "range"},          // range: the definition's key, null if undefined
///  "routes": [{"rule": {index, name, path, range} | null,   // null: routing.default
///              "via": "service" | "split" | "default" | "fallback",
///              "branch"?, "weight"?, "probability"?, "drawn"?, "seed"?,   // split branches
///              "fallbackFrom"?, "assumes"?,                                // fallbacks
///              "unreachable": bool, "witness"?: trace, "notes"?: [string]}, ...]}
/// ```
///
/// Routes, in this order:
/// - `service`: each rule whose `service` is this one (a rule with a `split` goes by the
///   split, as the router does);
/// - `split`: each branch naming this service (`branch` is its position in `split` as
///   written). The witness is a request the router sends to that rule *and* that branch:
///   with `stickyBy`, the request carries a key value whose stable hash lands in the
///   branch (`"drawn": "sticky"`); without one, the draw is random, so the witness is the
///   trace for the first router seed 0, 1, 2, ... whose draw picks the branch
///   (`"drawn": "seeded"`, `seed`; the request form uses seed 0). A branch the router
///   never picks (no positive weight) is unreachable;
/// - `default`: `routing.default` naming this service, with a request no rule matches;
/// - `fallback`: for each service T whose `fallback` is this one, each route to T, with
///   `fallbackFrom: T`. The router follows a fallback only when T has no usable endpoint,
///   so the witness trace is computed with every static endpoint of T unhealthy, which
///   `assumes` says.
///
/// A route whose rule (or default) no request reaches is listed with `"unreachable": true`
/// and no witness. Every witness trace was computed here and checked to end at this
/// service through that route. Witnesses are searched for the first ``searchLimit``
/// routes only; later ones are listed without one, and `notes` says so.
struct ServiceReachAnswer {
    let answers: ReachAnswers
    /// The service's name.
    let name: String
    /// The definition's key, when the service is defined.
    let definition: ByteRange?

    /// Routes whose witness is searched for at most, to keep one answer quick on a large table.
    static let searchLimit = 200
    /// Router seeds tried to make a random split draw pick a branch.
    static let seedAttempts: UInt64 = 512

    /// One way requests reach a service.
    struct Route {
        enum Via: String {
            case service, split, `default`, fallback
        }

        var rule: Rule?
        var via: Via
        var branch: Int?
        var weight: Double?
        var probability: Double?
        var drawn: String?
        var seed: UInt64 = 0
        var fallbackFrom: String?
        var assumes: String?
        /// The request that reaches the route, nil when none does or none was searched for.
        var request: RouteRequest?
        /// The health the witness is routed with, when the route assumes other than the
        /// document's live health.
        var health: HealthSnapshot?
        var unreachable = false
        var notes: [String] = []
    }

    func json() -> JSONValue {
        var budget = Self.searchLimit
        var routes = directRoutes(to: name, budget: &budget)
        let config = answers.router.config
        for service in config.services {
            guard case .service(let fallback)? = service.fallback, fallback.value == name, service.name.value != name
            else { continue }
            routes += directRoutes(to: service.name.value, budget: &budget).map { through(service, $0) }
        }
        let entries = routes.map(json)
        return [
            "service": ["name": .string(name), "range": definition.map { answers.converter.range($0) } ?? .null],
            "routes": .array(entries),
        ]
    }

    // MARK: Routes

    /// The rules, split branches and default that send requests to `service` itself.
    func directRoutes(to service: String, budget: inout Int) -> [Route] {
        let table = answers.router.table
        var routes: [Route] = []
        for (position, compiled) in table.compiled.enumerated() {
            let rule = compiled.rule
            if let split = rule.split {
                for (index, branch) in split.enumerated() where branch.service?.value == service {
                    routes.append(
                        splitRoute(rule: rule, position: position, branch: index, service: service, budget: &budget))
                }
            } else if rule.service?.value == service {
                var route = Route(rule: rule, via: .service)
                if take(&budget, &route) {
                    let report = RuleWitnesses.report(
                        rule: position, in: table, limits: RuleWitnesses.Limits(examples: 1, takers: 0))
                    settle(&route, report: report)
                }
                routes.append(route)
            }
        }
        if answers.router.config.routing.defaultService?.value == service {
            var route = Route(rule: nil, via: .default)
            if take(&budget, &route) {
                let report = RuleWitnesses.unmatched(in: table, limits: RuleWitnesses.Limits(examples: 1, takers: 0))
                settle(&route, report: report)
            }
            routes.append(route)
        }
        return routes
    }

    /// A split branch: forced by its sticky key where the rule has one, else by the
    /// first router seed whose random draw picks it.
    func splitRoute(rule: Rule, position: Int, branch: Int, service: String, budget: inout Int) -> Route {
        var route = Route(rule: rule, via: .split, branch: branch)
        let usable = SplitSelection.branches(of: rule)
        guard let usableIndex = SplitWitness.usableIndex(ofBranch: branch, in: rule), usableIndex < usable.count else {
            route.unreachable = true
            route.notes.append("the router never picks this branch: it needs a service and a positive weight")
            return route
        }
        route.weight = usable[usableIndex].weight
        route.probability = usable[usableIndex].probability
        guard take(&budget, &route) else { return route }
        let table = answers.router.table
        if let header = SplitWitness.stickyHeader(rule: rule, branch: usableIndex) {
            let report = RuleWitnesses.report(
                rule: position, in: table, limits: RuleWitnesses.Limits(examples: 1, takers: 0),
                requiredHeaders: [header])
            if let request = report.examples.first, answers.trace(request).split?.chosen == service {
                route.request = request
                route.drawn = "sticky"
                return route
            }
        }
        let report = RuleWitnesses.report(
            rule: position, in: table, limits: RuleWitnesses.Limits(examples: 1, takers: 0))
        settle(&route, report: report)
        guard let request = route.request else { return route }
        for seed in 0..<Self.seedAttempts where answers.trace(request, seed: seed).split?.chosen == service {
            route.drawn = "seeded"
            route.seed = seed
            return route
        }
        route.request = nil
        route.notes.append(
            "no router seed among the first \(Self.seedAttempts) draws this branch for the request found")
        return route
    }

    /// A route to `service` continued by its fallback: the same request, with every
    /// static endpoint of `service` unhealthy (or, for a service that registers its
    /// endpoints, none registered) so that the router falls back. The live health of every
    /// other service stays as the registry says.
    func through(_ service: Service, _ route: Route) -> Route {
        var fallback = route
        fallback.via = .fallback
        fallback.fallbackFrom = service.name.value
        let endpoints = (service.endpoints ?? []).compactMap(\.effectiveID)
        var assumed = answers.health
        if endpoints.isEmpty {
            fallback.assumes = "no endpoint of '\(service.name.value)' is registered"
            assumed.registrations[service.name.value] = nil
        } else {
            fallback.assumes = "every endpoint of '\(service.name.value)' is unhealthy"
            let unhealthy = EndpointHealth(status: .unhealthy, ageSeconds: 0)
            var records: NameMap<EndpointHealth> = [:]
            for id in endpoints { records[id] = unhealthy }
            assumed.records[service.name.value] = records
        }
        fallback.health = assumed
        return fallback
    }

    /// Uses one search from the budget; false (with a note) once it is spent.
    func take(_ budget: inout Int, _ route: inout Route) -> Bool {
        guard budget > 0 else {
            route.notes.append("not searched: witnesses are searched for the first \(Self.searchLimit) routes only")
            return false
        }
        budget -= 1
        return true
    }

    /// The route's request and reachability from a report.
    func settle(_ route: inout Route, report: RuleWitnessReport) {
        switch report.reach {
        case .reachable:
            route.request = report.examples.first
        case .unreachable(let reason):
            route.unreachable = true
            route.notes.append(
                "no request reaches \(route.rule == nil ? "the default" : "this rule"): \(reason.rawValue)")
        case .undetermined:
            route.notes.append(
                "no request reaching \(route.rule == nil ? "the default" : "this rule") was found within the search "
                    + "limits"
            )
        }
    }

    // MARK: JSON

    func json(_ route: Route) -> JSONValue {
        var object: JSONObject = [
            "rule": route.rule.map(answers.json) ?? .null,
            "via": .string(route.via.rawValue),
        ]
        if let branch = route.branch { object["branch"] = .int(Int64(branch)) }
        if let weight = route.weight { object["weight"] = JSONValue.number(weight) }
        if let probability = route.probability { object["probability"] = JSONValue.number(probability) }
        if let drawn = route.drawn {
            object["drawn"] = .string(drawn)
            if drawn == "seeded" { object["seed"] = .int(Int64(route.seed)) }
        }
        if let fallbackFrom = route.fallbackFrom { object["fallbackFrom"] = .string(fallbackFrom) }
        if let assumes = route.assumes { object["assumes"] = .string(assumes) }
        object["unreachable"] = .bool(route.unreachable)
        var notes = route.notes
        if let request = route.request {
            let trace = answers.trace(request, seed: route.seed, health: route.health)
            if confirms(trace, route) {
                object["witness"] = answers.json(trace)
            } else {
                notes.append(
                    "the request found for this route was left out because routing it again did not confirm it")
            }
        }
        if !notes.isEmpty { object["notes"] = .array(notes.map { .string($0) }) }
        return .object(object)
    }

    /// Whether `trace` really goes this way: through the route's rule (or the default)
    /// and, for a fallback, on to this service.
    func confirms(_ trace: DecisionTrace, _ route: Route) -> Bool {
        if let rule = route.rule {
            guard trace.rule?.index == rule.index else { return false }
        } else {
            guard trace.outcome == .default else { return false }
        }
        let reached = route.fallbackFrom ?? name
        if route.via == .split || (route.via == .fallback && route.branch != nil) {
            guard trace.split?.chosen == reached else { return false }
        }
        guard trace.service == reached else { return false }
        if route.fallbackFrom != nil {
            guard trace.fallback == .service(name) else { return false }
        }
        return true
    }
}
