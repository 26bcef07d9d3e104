import MeshConfig
import MeshSyntax
import WireJSON

/// `textDocument/hover`: on a service name (definition or reference) the service's static
/// description and its live health per endpoint; on an endpoint's URL or id its static
/// details and its health record; on a key or value its documentation and default from
/// MeshSchema.
///
/// The static part is computed first and never waits for anything; the live part waits
/// at most `live.deadlineMs` (the registry reader's deadline) and says why it is missing
/// when the registry did not answer in time.
enum HoverHandler: RequestHandler {
    static let method = "textDocument/hover"

    /// A hover's static part, and what its live part is about.
    struct Content: Sendable {
        var markdown: String
        var range: ByteRange
        var live: LiveHover.Subject?
    }

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        guard let hover = contents(at: offset, in: snapshot.analysis) else { return .null }
        var markdown = hover.markdown
        if let subject = hover.live, let section = await LiveHover.section(for: subject, in: snapshot, live: context.live) {
            markdown += "\n\n---\n\n" + section
        }
        return ["contents": LSP.markup(markdown, plainText: !context.client.hoverMarkdown), "range": converter.range(hover.range)]
    }

    /// The static part of the hover at `offset`, or nil where there is nothing to say.
    static func contents(at offset: Int, in analysis: DocumentAnalysis) -> Content? {
        if let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) {
            guard let service = analysis.config.service(named: occurrence.name) else {
                return Content(markdown: "**unknown service `\(occurrence.name)`**: it is not defined under `services`",
                               range: occurrence.range)
            }
            return Content(markdown: ServiceSummary.markdown(for: service, in: analysis.config), range: occurrence.range,
                           live: .service(service))
        }
        if let (endpoint, service, range) = endpoint(at: offset, in: analysis.config) {
            return Content(markdown: ServiceSummary.markdown(for: endpoint, of: service), range: range,
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
        return Content(markdown: SchemaDocs.markdown(for: schema, key: key), range: tree.range(node))
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
