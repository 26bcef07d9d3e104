import MeshSyntax

// Moving a service's model to where its unchanged text now stands (``PieceCache``): every
// range it holds, and nothing else. A field added to these types must be moved here too;
// `IncrementalPiecesTests` compares whole models with a from-scratch build, so one that is
// forgotten fails there.

extension Located {
    func shifted(by delta: Int) -> Located { Located(value, at: range.shifted(by: delta)) }
}

extension Service {
    func shifted(by delta: Int) -> Service {
        guard delta != 0 else { return self }
        var moved = self
        moved.name = name.shifted(by: delta)
        moved.range = range.shifted(by: delta)
        moved.endpoints = endpoints?.map { $0.shifted(by: delta) }
        moved.healthCheck = healthCheck?.shifted(by: delta)
        moved.policies = policies.shifted(by: delta)
        moved.fallback = fallback?.shifted(by: delta)
        moved.version = version?.shifted(by: delta)
        moved.auth = auth.map {
            ServiceAuth(mode: $0.mode?.shifted(by: delta), allow: $0.allow.map { $0.shifted(by: delta) })
        }
        return moved
    }
}

extension Endpoint {
    func shifted(by delta: Int) -> Endpoint {
        var moved = self
        moved.range = range.shifted(by: delta)
        moved.url = url?.shifted(by: delta)
        moved.id = id?.shifted(by: delta)
        moved.region = region?.shifted(by: delta)
        moved.continent = continent?.shifted(by: delta)
        moved.location = location.map {
            GeoLocation(latitude: $0.latitude, longitude: $0.longitude, range: $0.range.shifted(by: delta))
        }
        moved.weight = weight?.shifted(by: delta)
        moved.insecure = insecure?.shifted(by: delta)
        return moved
    }
}

extension HealthCheck {
    func shifted(by delta: Int) -> HealthCheck {
        var moved = self
        moved.range = range.shifted(by: delta)
        moved.path = path?.shifted(by: delta)
        moved.interval = interval?.shifted(by: delta)
        moved.timeout = timeout?.shifted(by: delta)
        moved.expectStatus = expectStatus?.shifted(by: delta)
        moved.healthyThreshold = healthyThreshold?.shifted(by: delta)
        moved.unhealthyThreshold = unhealthyThreshold?.shifted(by: delta)
        return moved
    }
}

extension PolicySet {
    func shifted(by delta: Int) -> PolicySet {
        var moved = self
        moved.timeout = timeout?.shifted(by: delta)
        moved.retries = retries.map { retries in
            var moved = retries
            moved.range = retries.range.shifted(by: delta)
            moved.attempts = retries.attempts?.shifted(by: delta)
            moved.backoffBase = retries.backoffBase?.shifted(by: delta)
            moved.backoffMax = retries.backoffMax?.shifted(by: delta)
            moved.jitter = retries.jitter?.shifted(by: delta)
            moved.retryOn = retries.retryOn?.map { $0.shifted(by: delta) }
            return moved
        }
        moved.loadBalancer = loadBalancer.map { policy in
            var moved = policy
            moved.range = policy.range.shifted(by: delta)
            moved.strategy = policy.strategy?.shifted(by: delta)
            moved.metric = policy.metric?.shifted(by: delta)
            moved.seed = policy.seed?.shifted(by: delta)
            return moved
        }
        moved.circuitBreaker = circuitBreaker.map { policy in
            var moved = policy
            moved.range = policy.range.shifted(by: delta)
            moved.failureThreshold = policy.failureThreshold?.shifted(by: delta)
            moved.resetTimeout = policy.resetTimeout?.shifted(by: delta)
            moved.halfOpenRequests = policy.halfOpenRequests?.shifted(by: delta)
            moved.maxResetTimeout = policy.maxResetTimeout?.shifted(by: delta)
            return moved
        }
        return moved
    }
}

extension Fallback {
    func shifted(by delta: Int) -> Fallback {
        switch self {
        case .service(let name):
            .service(name.shifted(by: delta))
        case .response(let status, let body, let range):
            .response(
                status: status?.shifted(by: delta), body: body?.shifted(by: delta), range: range.shifted(by: delta))
        }
    }
}
