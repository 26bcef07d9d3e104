import MeshConfig
import MeshRouter

/// The policy JSON of `mesh_route`'s answers, kept per rule and service: the policies in
/// force depend on the rule, the service and `mesh.defaults`, and on the request only by
/// the forwarded path, so each pair is resolved (``Router/policy(of:for:)``) and written once,
/// and later answers write the path after the kept text. Resolving and writing them was about
/// a tenth of a decision in the module (docs/edge.md).
///
/// One per loaded config (``LoadedMesh``), so a new config starts empty. At most
/// ``capacity`` pairs are kept, so a config of many rules cannot grow the module's memory
/// without bound; a pair past that is resolved on every request, with the same answer.
final class PolicyCache {
    /// The most pairs kept.
    static let capacity = 4096

    /// Per pair, the policy JSON up to the `forwardPath` value: `{"timeout":...,"forwardPath":`.
    private var prefixes: [Int: [UInt8]] = [:]

    /// Writes the policies in force for `decision` of `request` as ``DecisionJSON`` writes
    /// them, or `null` when the decision has no defined service.
    /// `stripPrefix` is the matched rule's, which the forwarded path is made with.
    func write(
        _ decision: Router.Decision, stripPrefix: String?, request: RouteRequest, router: Router,
        into json: inout JSONTextWriter
    ) {
        guard let service = decision.servicePosition else {
            json.null()
            return
        }
        let rules = router.config.routing.rules.count
        // Rule indices run 0..<rules, and -1 stands for routing.default: one key per pair.
        let key = service * (rules + 1) + (decision.ruleIndex ?? -1) + 1
        if let prefix = prefixes[key] {
            json.rawObject(
                prefix, endingWithString: PolicyResolution.forwardPath(request.path, stripPrefix: stripPrefix))
            return
        }
        guard let policy = router.policy(of: decision, for: request) else {
            json.null()
            return
        }
        var written = JSONTextWriter()
        DecisionJSON.policy(policy, into: &written)
        json.rawValue(written.bytes)
        // The forwarded path is the last member, so the prefix is everything before its value.
        var path = JSONTextWriter()
        path.string(policy.forwardPath)
        let suffix = path.bytes + [UInt8(ascii: "}")]
        if prefixes.count < Self.capacity, written.bytes.count > suffix.count,
            Array(written.bytes.suffix(suffix.count)) == suffix
        {
            prefixes[key] = Array(written.bytes.dropLast(suffix.count))
        }
    }
}
