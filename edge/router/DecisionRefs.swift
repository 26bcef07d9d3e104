import MeshConfig
import MeshRouter

/// What `mesh_route`'s answers name by a number, their ref: per rule and service, the
/// members of a decision that depend on nothing else, which are the rule (`{index, name,
/// path}`), the policies in force (resolved from the rule, the service and `mesh.defaults`;
/// the request adds only the forwarded path) and whether the service has a fallback. Each
/// pair is resolved and written once, answers carry its ref with the request's own members
/// beside it, and the host asks `mesh_ref` for a ref's JSON once per config and keeps what
/// it parsed. Writing those members, and parsing them in the host, was about a fifth of a
/// decision end to end (docs/edge.md).
///
/// One per loaded config (``LoadedMesh``), so a new config starts empty and refs never name
/// another config's pairs. At most ``capacity`` pairs get a ref, so a config of many rules
/// cannot grow the module's memory without bound; an answer for a pair past that, or for a
/// decision without a service, holds the members themselves.
final class DecisionRefs {
    /// The most pairs named by a ref.
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
    /// Per ref, `{"rule", "policy", "serviceFallback"}`, the policy without `forwardPath`.
    private var answers: [[UInt8]] = []

    /// The JSON that `ref` names, if an answer named it.
    func answer(ref: Int) -> [UInt8]? {
        answers.indices.contains(ref) ? answers[ref] : nil
    }

    /// Writes `"ref": n` for the pair of `decision` and answers true, or answers false when
    /// the decision has no service or the pair is past the capacity: the caller then writes
    /// the members themselves. `rulePosition` is the matched rule's place in the config.
    func writeRef(
        _ decision: Router.Decision, rulePosition: Int?, request: RouteRequest, router: Router,
        into json: inout JSONTextWriter
    ) -> Bool {
        guard let service = decision.servicePosition else { return false }
        let pair = Pair(rule: decision.ruleIndex ?? -1, service: service)
        if let ref = refs[pair] {
            json.key("ref")
            json.integer(ref)
            return true
        }
        guard answers.count < Self.capacity, let policy = router.policy(of: decision, for: request) else {
            return false
        }
        var written = JSONTextWriter()
        written.beginObject()
        EdgeDecision.rule(at: rulePosition, of: router.config.routing.rules, into: &written)
        written.key("policy")
        DecisionJSON.policy(policy, withForwardPath: false, into: &written)
        written.key("serviceFallback")
        written.bool(router.hasFallback(decision))
        written.endObject()
        refs[pair] = answers.count
        json.key("ref")
        json.integer(answers.count)
        answers.append(written.bytes)
        return true
    }
}
