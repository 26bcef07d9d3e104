import MeshRouter
import MeshSyntax

/// The human format of `diddy-mesh route`.
public enum TraceText {
    /// Formats `trace`; `location` names a rule's place in the config (`file:line:col`).
    public static func format(_ trace: DecisionTrace, location: (ByteRange) -> String) -> String {
        var lines: [String] = []
        let request = trace.request
        var cf: [String] = []
        if let colo = request.cf.colo { cf.append("colo \(colo)") }
        if let country = request.cf.country { cf.append("country \(country)") }
        if let continent = request.cf.continent { cf.append("continent \(continent)") }
        if let latitude = request.cf.latitude, let longitude = request.cf.longitude {
            cf.append("at \(latitude), \(longitude)")
        }
        lines.append("\(request.method) \(request.url)")
        lines.append("  path \(request.path)\(cf.isEmpty ? "" : "; " + cf.joined(separator: ", "))")
        for skipped in trace.skipped {
            lines.append("  skipped #\(skipped.index)\(skipped.name.map { " '\($0)'" } ?? ""): \(skipped.reason)")
        }
        switch trace.outcome {
        case .routed:
            if let rule = trace.rule {
                lines.append(
                    "-> rule #\(rule.index)\(rule.name.map { " '\($0)'" } ?? "") \(rule.path) (\(location(rule.range)))"
                )
            }
        case .default:
            lines.append("-> no rule matched: routing.default")
        case .noRoute:
            lines.append("-> no route: no rule matched and there is no routing.default (404)")
        }
        if !trace.captures.isEmpty {
            lines.append(
                "   captures: "
                    + trace.captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        if let split = trace.split {
            let branches = split.branches.map { "\($0.service) \(percent($0.probability))" }.joined(separator: ", ")
            lines.append("-> split [\(branches)]: \(split.chosen) (\(split.reason))")
        }
        if let service = trace.service {
            lines.append("-> service \(service)")
        }
        for endpoint in trace.endpoints {
            var facts = [endpoint.status.rawValue]
            // Live records carry fractions no reader needs; JSON keeps them whole.
            if let latency = endpoint.latencyMs { facts.append("\(tenths(latency)) ms") }
            if let age = endpoint.ageSeconds { facts.append("\(tenths(age)) s old") }
            facts.append("circuit \(endpoint.circuit.rawValue)")
            lines.append(
                "   \(endpoint.kept ? "+" : "-") \(endpoint.url) (\(facts.joined(separator: ", "))): \(endpoint.reason)"
            )
        }
        if let fallback = trace.fallback {
            switch fallback {
            case .service(let name): lines.append("-> no usable endpoint: fallback service \(name)")
            case .response(let status, _): lines.append("-> no usable endpoint: fallback response \(status)")
            }
        }
        if trace.panic { lines.append("-> panic: no endpoint is usable, so all are used") }
        if let endpoint = trace.endpoint {
            lines.append("-> endpoint \(endpoint)\(trace.strategy.map { " (\($0.name): \($0.reason))" } ?? "")")
        }
        if let policy = trace.policy {
            var retries = "retries \(policy.retries.attempts)"
            if policy.retries.attempts > 0 {
                retries +=
                    " (backoff \(policy.retries.baseMs)..\(policy.retries.maxMs) ms, jitter "
                    + "\(policy.retries.jitter), on \(policy.retries.retryOn.joined(separator: ", ")))"
            }
            lines.append("   policy: timeout \(policy.timeoutMs) ms, \(retries), forward \(policy.forwardPath)")
        }
        for note in trace.notes {
            lines.append("   note: \(note)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func percent(_ probability: Double) -> String {
        let value = probability * 100
        return value.rounded() == value ? "\(Int(value))%" : "\(Double(Int(value * 10)) / 10)%"
    }

    /// `value` to one decimal, without a trailing `.0`.
    static func tenths(_ value: Double) -> String {
        guard value.isFinite else { return number(value) }
        return number((value * 10).rounded() / 10)
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
