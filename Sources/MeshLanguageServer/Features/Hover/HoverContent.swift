import MeshConfig
import MeshSyntax

/// The static part of a hover (`textDocument/hover`), and what its live part is about: on
/// a service name (definition or reference) the service's description; on an endpoint's
/// URL or id its details; on a key or value its documentation and default from
/// MeshSchema. ``HoverHandler`` adds the live part and encodes it.
struct HoverContent: Sendable {
    var markdown: String
    var range: ByteRange
    var live: LiveHover.Subject?

    /// The static part of the hover at `offset`, or nil where there is nothing to say.
    static func at(_ offset: Int, in analysis: DocumentAnalysis) -> HoverContent? {
        if let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) {
            guard let service = analysis.config.service(named: occurrence.name) else {
                return HoverContent(
                    markdown: "**unknown service `\(occurrence.name)`**: it is not defined under `services`",
                    range: occurrence.range)
            }
            return HoverContent(
                markdown: ServiceSummary.markdown(for: service, in: analysis.config), range: occurrence.range,
                live: .service(service))
        }
        if let (endpoint, service, range) = endpoint(at: offset, in: analysis.config) {
            return HoverContent(
                markdown: ServiceSummary.markdown(for: endpoint, of: service), range: range,
                live: .endpoint(endpoint, of: service))
        }
        let tree = analysis.tree
        let node = tree.node(at: offset)
        switch tree.kind(node) {
        case .string, .number, .trueLiteral, .falseLiteral, .nullLiteral:
            break
        default:
            return nil
        }
        let path = tree.path(to: node)
        guard let schema = SchemaDocs.node(at: path) else { return nil }
        let key = path.last.flatMap { component -> String? in
            if case .key(let name) = component { return name }
            return nil
        }
        return HoverContent(markdown: SchemaDocs.markdown(for: schema, key: key), range: tree.range(node))
    }

    /// The endpoint whose URL or id value (or shorthand URL string) holds `offset`.
    private static func endpoint(at offset: Int, in config: MeshConfig) -> (Endpoint, Service, ByteRange)? {
        for service in config.services where service.range.contains(offset) {
            for endpoint in service.endpoints ?? [] where endpoint.range.contains(offset) {
                if endpoint.isShorthand { return (endpoint, service, endpoint.range) }
                for value in [endpoint.url?.range, endpoint.id?.range].compactMap({ $0 }) where value.contains(offset) {
                    return (endpoint, service, value)
                }
            }
        }
        return nil
    }
}
