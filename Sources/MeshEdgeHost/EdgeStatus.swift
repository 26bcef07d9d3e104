/// What an export of the edge router returns, as edge/README.md ("Statuses") defines it.
/// Every status but ``ok`` leaves `{"error": "a sentence"}` as the module's answer.
public enum EdgeStatus: Int32, Sendable, CaseIterable {
    /// Done: the answer is the report or the decision.
    case ok = 0
    /// A request the router does not take (not JSON, an unknown member, a URL, method or header
    /// it refuses); the message is the one `diddy-mesh route` gives.
    case badRequest = 1
    /// No config was loaded before a call that needs one.
    case noConfig = 2
    /// The input is over the module's own limit (16 MiB of route plan, 2 MiB of request).
    case tooLarge = 3
    /// A null pointer with a non-zero length, or a negative length: a bug in the host.
    case invalidArguments = 4
    /// `mesh_load`'s input is not a route plan the module reads: a config's text, another
    /// format version, damaged bytes.
    case badPlan = 5

    /// The status in a few words, for messages that have no sentence from the module.
    public var summary: String {
        switch self {
        case .ok: "done"
        case .badRequest: "bad request"
        case .noConfig: "no config loaded"
        case .tooLarge: "input too large"
        case .invalidArguments: "invalid arguments"
        case .badPlan: "not a route plan"
        }
    }
}
