import WireJSON

/// The human format of `diddy-mesh route --engine wasm`: the edge router's decision JSON
/// (edge/README.md) read back into the lines of ``TraceText``, so the two engines' answers
/// read alike and differ only where the module says less.
///
/// Two things the module does not answer, and so this cannot show: why each earlier rule was
/// skipped (the edge router never explains the rules it passed over, which would cost time in
/// proportion to them on every request), and the matched rule's position in the config (it
/// keeps no source positions). One line stands where the skipped rules would be, so their
/// absence is not read as a match on the first rule; `route` adds a last line naming the
/// module.
enum EdgeDecisionText {
    /// Formats `decision`; `url` is the URL sent (the decision leaves it out) and `rules` how
    /// many rules the config has (from the module's report).
    static func format(_ decision: JSONValue, url: String, rules: Int) -> String {
        var lines: [String] = []
        let request = decision["request"]
        let cf = request?["cf"]
        var geo: [String] = []
        for (key, label) in [("colo", "colo"), ("country", "country"), ("continent", "continent")] {
            if let value = cf?[key]?.stringValue { geo.append("\(label) \(value)") }
        }
        if let latitude = cf?["latitude"]?.doubleValue, let longitude = cf?["longitude"]?.doubleValue {
            geo.append("at \(latitude), \(longitude)")
        }
        lines.append("\(request?["method"]?.stringValue ?? "GET") \(url)")
        lines.append(
            "  path \(request?["path"]?.stringValue ?? "")\(geo.isEmpty ? "" : "; " + geo.joined(separator: ", "))")
        let rule = decision["rule"]
        let ruleIndex = rule?["index"]?.intValue
        // Rules were passed over when the match is not the first rule, or when none matched.
        if ruleIndex.map({ $0 > 0 }) ?? (rules > 0) {
            lines.append("  (the edge router does not say why earlier rules were skipped; --engine native does)")
        }
        switch decision["outcome"]?.stringValue {
        case "routed":
            if let rule, let ruleIndex {
                let name = rule["name"]?.stringValue.map { " '\($0)'" } ?? ""
                lines.append("-> rule #\(ruleIndex)\(name) \(rule["path"]?.stringValue ?? "")")
            }
        case "default":
            lines.append("-> no rule matched: routing.default")
        default:
            lines.append("-> no route: no rule matched and there is no routing.default (404)")
        }
        if let captures = decision["captures"]?.objectValue, !captures.isEmpty {
            let pairs = captures.map { "\($0.key)=\($0.value.stringValue ?? "")" }.sorted()
            lines.append("   captures: " + pairs.joined(separator: ", "))
        }
        if let split = decision["split"], !split.isNull {
            let branches = (split["branches"]?.arrayValue ?? []).map { branch in
                "\(branch["service"]?.stringValue ?? "") \(TraceText.percent(branch["probability"]?.doubleValue ?? 0))"
            }
            lines.append(
                "-> split [\(branches.joined(separator: ", "))]: \(split["chosen"]?.stringValue ?? "") "
                    + "(\(split["reason"]?.stringValue ?? ""))")
        }
        if let service = decision["service"]?.stringValue {
            lines.append("-> service \(service)")
        }
        for endpoint in decision["endpoints"]?.arrayValue ?? [] {
            lines.append(self.endpoint(endpoint))
        }
        if let fallback = decision["fallback"] {
            if let service = fallback["service"]?.stringValue {
                lines.append("-> no usable endpoint: fallback service \(service)")
            } else if let status = fallback["status"]?.intValue {
                lines.append("-> no usable endpoint: fallback response \(status)")
            }
        }
        if decision["panic"]?.boolValue == true { lines.append("-> panic: no endpoint is usable, so all are used") }
        if let endpoint = decision["endpoint"]?.stringValue {
            let strategy = decision["strategy"].flatMap { strategy -> String? in
                guard let name = strategy["name"]?.stringValue else { return nil }
                return " (\(name): \(strategy["reason"]?.stringValue ?? ""))"
            }
            lines.append("-> endpoint \(endpoint)\(strategy ?? "")")
        }
        if let policy = decision["policy"], !policy.isNull {
            lines.append(self.policy(policy))
        }
        for note in decision["notes"]?.arrayValue ?? [] {
            lines.append("   note: \(note.stringValue ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `   + URL (status, 12 ms, 3 s old, circuit closed): reason`, as ``TraceText`` writes it.
    private static func endpoint(_ endpoint: JSONValue) -> String {
        var facts = [endpoint["status"]?.stringValue ?? "unknown"]
        if let latency = endpoint["latencyMs"]?.doubleValue { facts.append("\(TraceText.tenths(latency)) ms") }
        if let age = endpoint["ageSeconds"]?.doubleValue { facts.append("\(TraceText.tenths(age)) s old") }
        facts.append("circuit \(endpoint["circuit"]?.stringValue ?? "closed")")
        let mark = endpoint["kept"]?.boolValue == true ? "+" : "-"
        return "   \(mark) \(endpoint["url"]?.stringValue ?? "") (\(facts.joined(separator: ", "))): "
            + (endpoint["reason"]?.stringValue ?? "")
    }

    /// `   policy: timeout 3000 ms, retries 2 (backoff 100..2000 ms, jitter full, on 5xx), forward /x`.
    private static func policy(_ policy: JSONValue) -> String {
        let retries = policy["retries"]
        let attempts = retries?["attempts"]?.intValue ?? 0
        var text = "retries \(attempts)"
        if attempts > 0 {
            let backoff = retries?["backoff"]
            let retryOn = (retries?["retryOn"]?.arrayValue ?? []).compactMap(\.stringValue)
            text +=
                " (backoff \(backoff?["base"]?.intValue ?? 0)..\(backoff?["max"]?.intValue ?? 0) ms, jitter "
                + "\(backoff?["jitter"]?.stringValue ?? ""), on \(retryOn.joined(separator: ", ")))"
        }
        return "   policy: timeout \(policy["timeout"]?.intValue ?? 0) ms, \(text), forward "
            + (policy["forwardPath"]?.stringValue ?? "")
    }
}
