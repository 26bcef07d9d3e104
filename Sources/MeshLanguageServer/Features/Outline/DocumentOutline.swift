import MeshConfig
import MeshSyntax

/// The outline of a document (`textDocument/documentSymbol`): services with their
/// endpoints, and the routing rules named by `name` or by path, as plain values with byte
/// ranges; ``DocumentSymbolHandler`` encodes them for the client's capabilities.
enum DocumentOutline {
    /// The outline of a document.
    static func symbols(in analysis: DocumentAnalysis) -> [OutlineSymbol] {
        symbols(tree: analysis.tree, config: analysis.config)
    }

    /// The outline of a parsed config; workspace symbols read files that are not open
    /// this way, from ``MeshDocument`` alone.
    static func symbols(tree: SyntaxTree, config: MeshConfig) -> [OutlineSymbol] {
        guard let root = tree.rootValue else { return [] }
        var symbols: [OutlineSymbol] = []
        if let member = tree.member("services", of: root) {
            let services = config.services.sorted { $0.range.start < $1.range.start }.map(serviceSymbol)
            symbols.append(
                OutlineSymbol(
                    name: "services", detail: "\(services.count)", kind: LSP.SymbolKind.namespace,
                    range: tree.range(member.node), selection: tree.range(member.key), children: services))
        }
        if let member = tree.member("routing", of: root) {
            let rules = config.routing.rules.map(ruleSymbol)
            symbols.append(
                OutlineSymbol(
                    name: "routing", detail: "\(rules.count) rules", kind: LSP.SymbolKind.namespace,
                    range: tree.range(member.node), selection: tree.range(member.key), children: rules))
        }
        return symbols
    }

    private static func serviceSymbol(_ service: Service) -> OutlineSymbol {
        let endpoints = (service.endpoints ?? []).map { endpoint in
            var details: [String] = []
            if let region = endpoint.region { details.append(region.value) }
            if let continent = endpoint.continent { details.append(continent.value) }
            return OutlineSymbol(
                name: endpoint.url?.value ?? "endpoint", detail: details.joined(separator: " "),
                kind: LSP.SymbolKind.field, range: endpoint.range,
                selection: endpoint.url?.range ?? endpoint.range, children: [])
        }
        return OutlineSymbol(
            name: service.name.value, detail: ServiceSummary.detail(for: service), kind: LSP.SymbolKind.class,
            range: service.range, selection: service.name.range, children: endpoints)
    }

    private static func ruleSymbol(_ rule: Rule) -> OutlineSymbol {
        let name = rule.name?.value ?? rule.path?.value ?? "rule #\(rule.index)"
        var target = ""
        if let service = rule.service {
            target = "-> \(service.value)"
        } else if let split = rule.split {
            target = "-> split " + split.compactMap(\.service?.value).joined(separator: " / ")
        }
        let detail = [rule.name != nil ? rule.path?.value : nil, target].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return OutlineSymbol(
            name: name, detail: detail, kind: LSP.SymbolKind.event, range: rule.range,
            selection: rule.name?.range ?? rule.path?.range ?? rule.range, children: [])
    }
}

/// One entry of the outline.
struct OutlineSymbol: Sendable, Equatable {
    var name: String
    var detail: String
    var kind: Int64
    var range: ByteRange
    /// The part an editor selects (the name); always inside `range`.
    var selection: ByteRange
    var children: [OutlineSymbol]
}
