import MeshConfig
import MeshRouter

/// The policies of `mesh_route`'s answers, kept per rule and service and named by a number,
/// its ref: the policies in force depend on the rule, the service and `mesh.defaults`, and on
/// the request only by the forwarded path, so each pair is resolved
/// (``Router/policy(of:for:)``) and written once, answers name it by its ref with the
/// forwarded path beside it, and the host asks `mesh_policy` for a ref's JSON once per config
/// and keeps what it parsed. Resolving and writing the policy, and parsing it in the host, was
/// about a fifth of a decision end to end (docs/edge.md).
///
/// One per loaded config (``LoadedMesh``), so a new config starts empty and refs never name
/// another config's policies. At most ``capacity`` pairs are kept, so a config of many rules
/// cannot grow the module's memory without bound; the policy of a pair past that is written
/// in full in each answer, with the same members.
final class PolicyCache {
    /// The most pairs kept.
    static let capacity = 4096

    /// A rule and a service: the rule's index, or -1 for `routing.default`, and the service's
    /// position in the config.
    private struct Pair: Hashable {
        let rule: Int
        let service: Int
    }

    /// Each pair's ref: the order in which answers first named them, so a ref stays below
    /// ``capacity`` whatever the numbers of rules and services (a product of the two
    /// overflows a wasm32 `Int` in a config of a few megabytes).
    private var refs: [Pair: Int] = [:]
    /// Per ref, the policy JSON without `forwardPath`.
    private var policies: [[UInt8]] = []

    /// The policy JSON that `ref` names, if an answer named it.
    func policy(ref: Int) -> [UInt8]? {
        policies.indices.contains(ref) ? policies[ref] : nil
    }

    /// Writes the members `"policy"` and `"forwardPath"` for `decision` of `request`: the
    /// policy's ref, or its JSON without `forwardPath` past the capacity, and the path to
    /// forward; `"policy": null` alone when the decision has no defined service.
    /// `stripPrefix` is the matched rule's, which the forwarded path is made with.
    func write(
        _ decision: Router.Decision, stripPrefix: String?, request: RouteRequest, router: Router,
        into json: inout JSONTextWriter
    ) {
        json.key("policy")
        guard let service = decision.servicePosition else {
            json.null()
            return
        }
        let pair = Pair(rule: decision.ruleIndex ?? -1, service: service)
        if let ref = refs[pair] {
            json.integer(ref)
        } else if let policy = router.policy(of: decision, for: request) {
            var written = JSONTextWriter()
            DecisionJSON.policy(policy, withForwardPath: false, into: &written)
            if policies.count < Self.capacity {
                refs[pair] = policies.count
                json.integer(policies.count)
                policies.append(written.bytes)
            } else {
                json.rawValue(written.bytes)
            }
        } else {
            json.null()
            return
        }
        json.key("forwardPath")
        json.string(PolicyResolution.forwardPath(request.path, stripPrefix: stripPrefix))
    }
}
