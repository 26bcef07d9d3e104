import WireJSON

/// How `diddy-mesh route --engine wasm` holds the deployed module's decision to the native
/// router's: the module answers what a Worker forwards with (`mesh_route`, edge/README.md),
/// the native router the same decision with its trace, and the preview shows the trace only
/// when the two agree on every member the module answers (docs/edge.md, "What the module
/// answers").
///
/// Objects are compared whatever the order of their members and numbers whatever their
/// spelling (`1` and `1.0`), since the module and the CLI write their JSON with different
/// writers; everything else must be equal.
enum EdgeDecisionCheck {
    /// The members compared, in the order a difference is reported.
    static let members = [
        "outcome", "rule", "service", "endpoint", "endpoints", "fallback", "panic", "policy", "forwardPath",
    ]

    /// `answer`, `mesh_route`'s, with what its `ref` names (`named`, `mesh_ref`'s answer) put
    /// in: the decision's own members, without `edge`.
    static func moduleView(_ answer: JSONObject, named: JSONObject?) -> JSONObject {
        var view = JSONObject()
        for member in members {
            if let value = answer[member] ?? named?[member] { view[member] = value }
        }
        return view
    }

    /// The members of the native `decision` (`TraceJSON`) that the module answers: the rule
    /// without its range, the policy without `forwardPath` and that beside it, each
    /// candidate's URL only and only when the service has a fallback (`serviceFallback`, from
    /// the module's answer), the fallback only when used and `panic` only when true.
    static func nativeView(_ decision: JSONObject, serviceFallback: Bool) -> JSONObject {
        var view = JSONObject()
        for member in ["outcome", "rule", "service", "endpoint"] { view[member] = decision[member] ?? .null }
        if var rule = decision["rule"]?.objectValue {
            rule["range"] = nil
            view["rule"] = .object(rule)
        }
        if serviceFallback {
            let urls = (decision["endpoints"]?.arrayValue ?? []).compactMap { $0["url"]?.stringValue }
            view["endpoints"] = .array(urls.filter { !$0.isEmpty }.map { .object(JSONObject([("url", .string($0))])) })
        }
        if let fallback = decision["fallback"], !fallback.isNull { view["fallback"] = fallback }
        if decision["panic"]?.boolValue == true { view["panic"] = true }
        if var policy = decision["policy"]?.objectValue {
            view["forwardPath"] = policy["forwardPath"]
            policy["forwardPath"] = nil
            view["policy"] = .object(policy)
        } else {
            view["policy"] = .null
        }
        return view
    }

    /// The answer's `{"retryableMethod", "serviceFallback"}`: its `edge` member, or, for an
    /// answer that names its rule and service by ref, its `retryableMethod` and what the ref
    /// names.
    static func edge(_ answer: JSONObject, named: JSONObject?) -> JSONObject {
        guard let named else { return answer["edge"]?.objectValue ?? JSONObject() }
        return JSONObject([
            ("retryableMethod", answer["retryableMethod"] ?? .null),
            ("serviceFallback", named["serviceFallback"] ?? .null),
        ])
    }

    /// One line per member on which `module` and `native` differ, each naming both values;
    /// empty when they decide alike.
    static func differences(module: JSONObject, native: JSONObject) -> [String] {
        members.compactMap { member in
            let ours = module[member]
            let theirs = native[member]
            if let ours, let theirs, same(ours, theirs) { return nil }
            if ours == nil, theirs == nil { return nil }
            return "\(member): the module answers \(shown(ours)), this binary's router \(shown(theirs))"
        }
    }

    /// Whether two values are the same JSON, member order and number spelling aside.
    static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in b[member.key].map { same(member.value, $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case (.int, _), (.double, _):
            guard let a = left.doubleValue, let b = right.doubleValue else { return false }
            return a == b
        default:
            return left == right
        }
    }

    /// A value as compact JSON, or "nothing" for a member left out.
    private static func shown(_ value: JSONValue?) -> String {
        value.map { WireJSON.serialize($0) } ?? "nothing"
    }
}
