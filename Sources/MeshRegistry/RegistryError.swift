/// Why the registry could not answer, in words a user can act on.
///
/// Messages never contain a credential: backends build them from what they know is safe
/// (status codes, paths, binding names), never from request headers.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No registry is configured (`mesh.registry` absent and no flags).
    case notConfigured(String)
    /// `mesh.registry.binding` is not in any wrangler config's `kv_namespaces`.
    case bindingNotFound(String)
    /// The store could not be reached (connection refused, DNS, file system).
    case unreachable(String)
    /// The credentials were missing or refused.
    case unauthorized(String)
    /// The API asked to slow down; `retryAfter` in seconds when it said.
    case rateLimited(retryAfter: Double?)
    /// The call took longer than its deadline.
    case timeout(String)
    /// The stored data is not what the layout says (a corrupt SQLite file, a missing blob).
    case corrupt(String)
    /// A key, value, metadata or TTL breaks the KV rules.
    case invalidArgument(String)
    /// The backend answered with an error it explained.
    case failed(String)

    /// One sentence for the user.
    public var description: String {
        switch self {
        case .notConfigured(let detail): "registry not configured: \(detail)"
        case .bindingNotFound(let detail): "binding not found: \(detail)"
        case .unreachable(let detail): "registry unreachable: \(detail)"
        case .unauthorized(let detail): "unauthorized: \(detail)"
        case .rateLimited(let retryAfter):
            "rate limited by the KV API"
                + (retryAfter.flatMap { $0.isFinite && $0 < 1e15 ? "; retry after \(Int($0.rounded(.up))) s" : nil }
                    ?? "")
        case .timeout(let detail): "timed out: \(detail)"
        case .corrupt(let detail): "corrupt registry data: \(detail)"
        case .invalidArgument(let detail): detail
        case .failed(let detail): detail
        }
    }
}
