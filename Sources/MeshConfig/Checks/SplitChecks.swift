import MeshSyntax

/// DM404 beyond what the schema states (positive weights, at least one branch): a split
/// that names the same service twice.
enum SplitChecks {
    static func run(_ config: MeshConfig, into diagnostics: inout [Diagnostic]) {
        for rule in config.routing.rules {
            var seen: [String: ByteRange] = [:]
            for branch in rule.split ?? [] {
                guard let service = branch.service else { continue }
                if let first = seen[service.value] {
                    diagnostics.append(
                        Diagnostic(
                            .invalidSplit,
                            "split of rule \(rule.displayName) lists service '\(service.value)' twice; merge the "
                                + "branches and add up their weights",
                            at: service.range, related: [RelatedInformation(message: "first listed here", range: first)]
                        ))
                } else {
                    seen[service.value] = service.range
                }
            }
        }
    }
}
