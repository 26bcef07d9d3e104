import MeshConfig
import MeshRouter
import WireJSON

/// What routes to one rule: the rule form of `diddyMesh/whatRoutesHere`.
///
/// ```
/// {"rule": {index, name, path, range},
///  "examples": [trace, ...],
///  "shadowedBy": [{"rule": {index, name, path, range}, "witness": trace}, ...],
///  "unreachable": bool,
///  "notes"?: [string]}
/// ```
///
/// The requests come from the router (``RuleWitnesses``), which finds them exactly on
/// the route table; each is routed again here and kept only when its trace really
/// selects the rule (an example) or the earlier rule (a `shadowedBy` witness). Examples
/// are at most three; they differ in method, host, headers or geo fields where earlier
/// rules tell such requests apart, else in their paths. `shadowedBy` lists, in document
/// order, every earlier rule that takes some of this rule's requests (at most
/// ``takerLimit``), with a request this rule matches that the router sends there.
/// `unreachable` is true only when proven: earlier rules take every request (one rule, as
/// DM402 says, or several together), or the rule matches nothing (an invalid path, a
/// pattern no normalized path matches, an empty `methods` list). `notes` says why, and
/// says when the search limits cut an answer short (then `unreachable` stays false).
/// Every trace is computed with fresh router state, so the request form returns the
/// same trace for the same request.
struct RuleReachAnswer {
    let answers: ReachAnswers
    /// The rule's position in the route table.
    let position: Int

    /// Earlier rules named in `shadowedBy` at most.
    static let takerLimit = 25

    func json() -> JSONValue {
        let table = answers.router.table
        let compiled = table.compiled[position]
        // One more taker than listed tells whether the list was cut.
        let report = RuleWitnesses.report(
            rule: position, in: table, limits: RuleWitnesses.Limits(examples: 3, takers: Self.takerLimit + 1))
        var notes: [String] = []
        var examples: [JSONValue] = []
        for request in report.examples {
            let trace = answers.trace(request)
            if trace.rule?.index == compiled.index { examples.append(answers.json(trace)) }
        }
        var shadowedBy: [JSONValue] = []
        for taker in report.takers.prefix(Self.takerLimit) {
            let earlier = table.compiled[taker.rule].rule
            let trace = answers.trace(taker.witness)
            guard trace.rule?.index == earlier.index else { continue }
            shadowedBy.append(["rule": answers.json(earlier), "witness": answers.json(trace)])
        }
        if examples.count != report.examples.count || shadowedBy.count != min(report.takers.count, Self.takerLimit) {
            notes.append(
                "some requests found for this rule were left out because routing them again did not confirm them")
        }
        var unreachable = false
        switch report.reach {
        case .reachable:
            break
        case .unreachable(let reason):
            unreachable = true
            notes.append("no request reaches this rule: \(reason.rawValue)")
        case .undetermined:
            notes.append(
                "no request reaching this rule was found within the search limits, and it was not proven unreachable")
        }
        if report.takers.count > Self.takerLimit {
            notes.append("more earlier rules take some of its requests; the first \(Self.takerLimit) are listed")
        } else if !report.takersComplete {
            notes.append(
                "the search limits ran out before every earlier rule was checked; shadowedBy may be incomplete")
        }
        var object: JSONObject = [
            "rule": answers.json(compiled.rule),
            "examples": .array(examples),
            "shadowedBy": .array(shadowedBy),
            "unreachable": .bool(unreachable),
        ]
        if !notes.isEmpty { object["notes"] = .array(notes.map { .string($0) }) }
        return .object(object)
    }
}
