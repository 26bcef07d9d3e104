/// What a registry read gives: a value with when it was fetched, or why there is none.
public enum RegistryAnswer<Value: Sendable>: Sendable {
    /// The value, fetched at `fetchedAt` (epoch seconds); cached answers keep the time of
    /// the fetch, so callers can say how old what they show is.
    case value(Value, fetchedAt: Double)
    /// Why the registry could not answer (not configured, unreachable, timeout, ...).
    case unavailable(RegistryError)

    /// The value, or nil when unavailable.
    public var value: Value? {
        if case .value(let value, _) = self { return value }
        return nil
    }

    /// The error, or nil when there is a value.
    public var error: RegistryError? {
        if case .unavailable(let error) = self { return error }
        return nil
    }

    /// When the value was fetched, or nil when unavailable.
    public var fetchedAt: Double? {
        if case .value(_, let fetchedAt) = self { return fetchedAt }
        return nil
    }
}

extension RegistryAnswer: Equatable where Value: Equatable {}
extension RegistryAnswer: Hashable where Value: Hashable {}
