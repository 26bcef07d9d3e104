import MeshConfig
import MeshSyntax

/// DM402 and DM403 from ``ShadowAnalysis`` findings, at the later rule's `path`, related
/// to the earlier rule's, with a quick fix that deletes the later rule.
enum ShadowDiagnostics {
    static func diagnostics(rules: [Rule], findings: [ShadowFinding], source: SourceText?) -> [Diagnostic] {
        findings.compactMap { finding in
            let rule = rules[finding.rule]
            let earlier = rules[finding.earlierRule]
            guard let path = rule.path, let earlierPath = earlier.path else { return nil }
            let example = example(finding.witness, showHost: rule.host != nil)
            var routeNote = ""
            if finding.witnessRoute != finding.earlierRule {
                routeNote =
                    " (and even that rule never gets it: \(rules[finding.witnessRoute].displayName), further up, "
                    + "takes it first)"
            }
            let (code, message, relatedMessage, fixTitle): (DiagnosticCode, String, String, String) =
                switch finding.kind {
                case .shadowed:
                    (
                        .shadowedRule,
                        "rule \(rule.displayName) is shadowed by the earlier rule \(earlier.displayName), which "
                            + "matches every request it matches: \(example) goes to \(earlier.displayName)\(routeNote)",
                        "the earlier rule \(earlier.displayName)", "Remove the shadowed rule"
                    )
                case .duplicate:
                    (
                        .duplicateRule,
                        "rule \(rule.displayName) duplicates the earlier rule \(earlier.displayName): same path and "
                            + "matchers, so only the first is used (\(example) goes to "
                            + "\(earlier.displayName)\(routeNote))",
                        "the first rule with these matchers", "Remove the duplicate rule"
                    )
                }
            let fixes =
                source.map {
                    [
                        Fix(
                            title: fixTitle,
                            edits: [
                                TextEdit(range: RuleRemoval.range(removing: rule.range, in: $0.bytes), newText: "")
                            ],
                            // The rule never matches, so removing it changes no decision.
                            isSafe: true)
                    ]
                } ?? []
            return Diagnostic(
                code, message, at: path.range,
                related: [RelatedInformation(message: relatedMessage, range: earlierPath.range)], fixes: fixes)
        }
    }

    /// `GET /api/users/x`, or the whole URL when the rule constrains the host.
    static func example(_ request: RouteRequest, showHost: Bool) -> String {
        "\(request.method) \(showHost ? "https://\(request.host)\(request.path)" : request.path)"
    }
}

/// The bytes to delete to remove one element of a JSON array cleanly: the element, its
/// separating comma, and the line it sat on when it had the line(s) to itself.
enum RuleRemoval {
    static func range(removing element: ByteRange, in bytes: [UInt8]) -> ByteRange {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let end = min(element.end, bytes.count)
        var after = end
        while after < bytes.count, isBlank(bytes[after]) { after += 1 }
        guard after < bytes.count, bytes[after] == UInt8(ascii: ",") else {
            // The last element: take the comma before it instead, so none dangles.
            var before = element.start
            while before > 0,
                isBlank(bytes[before - 1]) || bytes[before - 1] == UInt8(ascii: "\n")
                    || bytes[before - 1] == UInt8(ascii: "\r")
            {
                before -= 1
            }
            return before > 0 && bytes[before - 1] == UInt8(ascii: ",")
                ? ByteRange(start: before - 1, end: end) : element
        }
        var lineStart = element.start
        while lineStart > 0, isBlank(bytes[lineStart - 1]) { lineStart -= 1 }
        let ownsLine = lineStart == 0 || bytes[lineStart - 1] == UInt8(ascii: "\n")
        var next = after + 1
        while next < bytes.count, isBlank(bytes[next]) { next += 1 }
        if next < bytes.count, bytes[next] == UInt8(ascii: "\n") || bytes[next] == UInt8(ascii: "\r") {
            guard ownsLine else { return ByteRange(start: element.start, end: after + 1) }
            if bytes[next] == UInt8(ascii: "\r"), next + 1 < bytes.count, bytes[next + 1] == UInt8(ascii: "\n") {
                next += 1
            }
            return ByteRange(start: lineStart, end: next + 1)
        }
        // Another element or a comment follows on the same line: keep one space before it.
        return ByteRange(start: element.start, end: next)
    }
}
