import MeshSyntax

/// Where a config names a service, and why (for references, rename and DM301/DM302).
public struct ServiceReference: Sendable, Hashable {
    /// What kind of place refers to the service.
    public enum Role: String, Sendable, Hashable {
        case ruleTarget = "rule"
        case splitBranch = "split"
        case routingDefault = "routing.default"
        case fallback = "fallback"
        case authAllow = "auth.allow"

        /// Whether traffic can reach the service through this reference (auth lists cannot).
        public var routesTraffic: Bool { self != .authAllow }
    }

    /// The referenced name, located at the string value.
    public var name: Located<String>
    /// The kind of reference.
    public var role: Role
    /// The rule index for rule and split references.
    public var ruleIndex: Int?
    /// The service that holds a fallback or auth reference.
    public var owner: String?
}

extension MeshConfig {
    /// Every place that names a service, in document order.
    public var serviceReferences: [ServiceReference] {
        var references: [ServiceReference] = []
        for service in services {
            if case .service(let name) = service.fallback {
                references.append(ServiceReference(name: name, role: .fallback, owner: service.name.value))
            }
            for allowed in service.auth?.allow ?? [] {
                references.append(ServiceReference(name: allowed, role: .authAllow, owner: service.name.value))
            }
        }
        for rule in routing.rules {
            if let service = rule.service {
                references.append(ServiceReference(name: service, role: .ruleTarget, ruleIndex: rule.index))
            }
            for branch in rule.split ?? [] {
                if let service = branch.service {
                    references.append(ServiceReference(name: service, role: .splitBranch, ruleIndex: rule.index))
                }
            }
        }
        if let fallback = routing.defaultService {
            references.append(ServiceReference(name: fallback, role: .routingDefault))
        }
        return references.sorted { $0.name.range.start < $1.name.range.start }
    }
}

/// DM301 (reference to an undefined service) and DM302 (service nothing routes to).
///
/// Names match byte for byte, as the router matches them (``NameSet``; docs/guide/routing.md):
/// a reference that differs from a service only in Unicode normalization (an accented letter
/// written as one code point or as a letter and a combining mark) finds no service when
/// routed, so it is DM301 here too, with a message that says why the two look alike. Such a
/// service name is DM205 anyway (names are lowercase ASCII), but a config with errors still
/// routes, and its checks must say what the router will do.
enum ReferenceChecks {
    static func run(_ config: MeshConfig, reportUnused: Bool, into diagnostics: inout [Diagnostic]) {
        let defined = NameSet(config.serviceNames)
        let references = config.serviceReferences
        // Built on the first unknown name only: most configs have none.
        var suggestions: SuggestionIndex?
        var byCanonicalName: [String: String]?
        for reference in references where !defined.contains(reference.name.value) {
            let name = reference.name.value
            let range = reference.name.range
            let index = suggestions ?? SuggestionIndex(config.serviceNames)
            suggestions = index
            // `String` keys compare by canonical equivalence: this finds the service whose name
            // is this one in another normalization, which the suggestions leave out as equal.
            let canonical =
                byCanonicalName
                ?? config.serviceNames.reduce(into: [:]) { spellings, service in
                    if spellings[service] == nil { spellings[service] = service }
                }
            byCanonicalName = canonical
            if let spelling = canonical[name] {
                diagnostics.append(
                    Diagnostic(
                        .undefinedService,
                        "unknown service '\(name)': it differs from the service '\(spelling)' only in Unicode "
                            + "normalization (how its accented letters are encoded), and names match byte for byte",
                        at: range,
                        fixes: [
                            Fix(
                                title: "Replace with '\(spelling)' as the service writes it",
                                edits: [TextEdit(range: range, newText: "\"\(spelling)\"")])
                        ]
                    ))
            } else if let suggestion = index.suggestion(for: name, maxDistance: max(2, name.count / 4)),
                !suggestion.unicodeScalars.contains("\u{FFFD}")
            {
                diagnostics.append(
                    Diagnostic(
                        .undefinedService, "unknown service '\(name)'; did you mean '\(suggestion)'?", at: range,
                        fixes: [
                            Fix(
                                title: "Replace with '\(suggestion)'",
                                edits: [TextEdit(range: range, newText: "\"\(suggestion)\"")])
                        ]
                    ))
            } else {
                diagnostics.append(
                    Diagnostic(
                        .undefinedService, "unknown service '\(name)': it is not defined under 'services'", at: range,
                        help: config.serviceNames.isEmpty
                            ? ["define it under 'services'"]
                            : ["defined services: " + config.serviceNames.prefix(10).joined(separator: ", ")]
                    ))
            }
        }
        guard reportUnused else { return }
        var routed = NameSet()
        for reference in references where reference.role.routesTraffic {
            // A service that is only its own fallback is still unreachable.
            if reference.role == .fallback, reference.owner.hasSameBytes(as: reference.name.value) { continue }
            routed.insert(reference.name.value)
        }
        for service in config.services where !routed.contains(service.name.value) {
            diagnostics.append(
                Diagnostic(
                    .unusedService,
                    "service '\(service.name.value)' is not routed to: no rule, split, default or fallback names it",
                    at: service.name.range, tags: [.unnecessary]
                ))
        }
    }
}
