import MeshSyntax

/// DM501-DM505: endpoint URLs, duplicates, and strategies that need endpoint data.
enum EndpointChecks {
    /// Checks every service's endpoints. The URL and duplicate findings read nothing but
    /// the service's own member, so with `previous` (``PieceCache``) an unchanged service
    /// takes its earlier findings, moved, and `pieces` records this version's; the
    /// strategy check reads the mesh defaults too and always runs.
    static func run(
        _ config: MeshConfig, previous: PieceCache? = nil, pieces: inout PieceCache?,
        into diagnostics: inout [Diagnostic]
    ) {
        for service in config.services {
            guard let endpoints = service.endpoints else { continue }
            let start = service.range.start
            let key = pieces?.recordedKey(startingAt: start)
            if let key, let cached = previous?.piece(key), let findings = cached.endpointDiagnostics {
                let moved = findings.map { $0.shifted(by: start - cached.start) }
                diagnostics += moved
                pieces?.recordEndpoints(moved, key: key, start: start)
            } else {
                let first = diagnostics.count
                let parsed = checkURLs(endpoints, into: &diagnostics)
                checkDuplicates(endpoints, parsed: parsed, service: service.name.value, into: &diagnostics)
                if let key { pieces?.recordEndpoints(Array(diagnostics[first...]), key: key, start: start) }
            }
            checkStrategy(service, defaults: config.mesh.defaults, endpoints: endpoints, into: &diagnostics)
        }
    }

    /// Checks every service's endpoints, without a cache.
    static func run(_ config: MeshConfig, into diagnostics: inout [Diagnostic]) {
        var pieces: PieceCache?
        run(config, pieces: &pieces, into: &diagnostics)
    }

    /// Reports bad and insecure URLs; returns each endpoint's parsed URL (nil when it has
    /// none or it does not parse), so duplicates are found without parsing again.
    private static func checkURLs(_ endpoints: [Endpoint], into diagnostics: inout [Diagnostic]) -> [EndpointURL?] {
        var parsedURLs: [EndpointURL?] = []
        parsedURLs.reserveCapacity(endpoints.count)
        for endpoint in endpoints {
            guard let url = endpoint.url else {
                parsedURLs.append(nil)
                continue
            }
            let result = EndpointURL.parse(url.value)
            parsedURLs.append(try? result.get())
            switch result {
            case .failure(let problem):
                diagnostics.append(
                    Diagnostic(
                        .invalidEndpointURL, "invalid endpoint URL '\(url.value)': \(problem.message)", at: url.range,
                        help: ["write an absolute URL such as 'https://users.example.workers.dev'"]))
            case .success(let parsed) where parsed.scheme == "http":
                if endpoint.insecure?.value == true {
                    diagnostics.append(
                        Diagnostic(
                            .insecureEndpoint,
                            "endpoint '\(url.value)' uses http:// (allowed by \"insecure\": true): traffic to it is "
                                + "not encrypted",
                            at: url.range,
                            // The owner accepted plain HTTP on purpose: a reminder, not a
                            // warning that `--fail-on warning` would fail on (docs/diagnostics.md).
                            severity: .information))
                } else {
                    diagnostics.append(
                        Diagnostic(
                            .insecureEndpoint,
                            "endpoint '\(url.value)' uses http://: use https://, or set \"insecure\": true to "
                                + "accept it",
                            at: url.range,
                            fixes: [
                                Fix(
                                    title: "Use https://",
                                    edits: [
                                        TextEdit(
                                            range: url.range,
                                            newText: "\"https://" + url.value.dropFirst("http://".count) + "\"")
                                    ]),
                                insecureFix(endpoint, url: url),
                            ]
                        ))
                }
            case .success:
                break
            }
        }
        return parsedURLs
    }

    /// Adds `"insecure": true`, turning a bare URL into an object where needed.
    static func insecureFix(_ endpoint: Endpoint, url: Located<String>) -> Fix {
        if endpoint.isShorthand {
            return Fix(
                title: "Add \"insecure\": true",
                edits: [
                    TextEdit(
                        range: endpoint.range,
                        newText: "{\"url\": \(StringEncoding.literal(url.value)), \"insecure\": true}")
                ])
        }
        return Fix(
            title: "Add \"insecure\": true",
            edits: [TextEdit(range: .empty(at: url.range.end), newText: ", \"insecure\": true")])
    }

    private static func checkDuplicates(
        _ endpoints: [Endpoint], parsed: [EndpointURL?], service: String, into diagnostics: inout [Diagnostic]
    ) {
        // An endpoint is its id, else its URL's comparison key, else (a URL that does not
        // parse) the URL as written.
        let keys = endpoints.indices.map { index in
            endpoints[index].id?.value ?? parsed[index]?.comparisonKey ?? endpoints[index].url?.value
        }
        // Most services list a few endpoints: comparing them with each other is cheaper
        // than a dictionary per service, which cost more than parsing the URLs. Long lists
        // get the dictionary, so the check stays linear.
        var seen: [String: Int] = [:]
        if endpoints.count > 8 { seen.reserveCapacity(endpoints.count) }
        for (index, endpoint) in endpoints.enumerated() {
            guard let key = keys[index] else { continue }
            let firstIndex: Int?
            if endpoints.count > 8 {
                firstIndex = seen[key]
                if firstIndex == nil { seen[key] = index }
            } else {
                firstIndex = keys[..<index].firstIndex { $0 == key }
            }
            if let firstIndex {
                let first = endpoints[firstIndex]
                diagnostics.append(
                    Diagnostic(
                        .duplicateEndpoint,
                        "duplicate endpoint '\(endpoint.effectiveID ?? key)' in service '\(service)'",
                        at: endpoint.url?.range ?? endpoint.range,
                        related: [
                            RelatedInformation(message: "first listed here", range: first.url?.range ?? first.range)
                        ],
                        fixes: [
                            Fix(
                                title: "Remove the duplicate endpoint",
                                edits: [TextEdit(range: removal(of: index, in: endpoints), newText: "")])
                        ]
                    ))
            }
        }
    }

    /// The bytes to delete to remove endpoint `index` with one of the commas around it, so
    /// that the list stays valid: up to the next endpoint, or for the last one, from the
    /// end of the previous one. (A duplicate is never the first endpoint.)
    static func removal(of index: Int, in endpoints: [Endpoint]) -> ByteRange {
        let range = endpoints[index].range
        if index + 1 < endpoints.count {
            return ByteRange(start: range.start, end: endpoints[index + 1].range.start)
        }
        if index > 0 {
            return ByteRange(start: endpoints[index - 1].range.end, end: range.end)
        }
        return range
    }

    private static func checkStrategy(
        _ service: Service, defaults: PolicySet, endpoints: [Endpoint], into diagnostics: inout [Diagnostic]
    ) {
        guard !endpoints.isEmpty else { return }
        let own = service.policies.loadBalancer?.strategy
        guard let strategy = own?.value ?? defaults.loadBalancer?.strategy?.value else { return }
        let range = own?.range ?? service.name.range
        let inherited = own == nil ? " (inherited from mesh.defaults)" : ""
        switch strategy {
        case .geographic where !endpoints.contains(where: { $0.hasPlacement }):
            diagnostics.append(
                Diagnostic(
                    .geographicWithoutLocations,
                    "service '\(service.name.value)' uses the geographic strategy\(inherited) but no endpoint has a "
                        + "region, continent or location: it degrades to round-robin",
                    at: range, help: ["add \"region\", \"continent\" or \"location\" to the endpoints"]
                ))
        case .weighted where !endpoints.contains(where: { $0.weight != nil }):
            diagnostics.append(
                Diagnostic(
                    .weightedWithoutWeights,
                    "service '\(service.name.value)' uses the weighted strategy\(inherited) but no endpoint has a "
                        + "weight: traffic is split evenly",
                    at: range, help: ["add \"weight\" to the endpoints"]
                ))
        default:
            break
        }
    }
}
