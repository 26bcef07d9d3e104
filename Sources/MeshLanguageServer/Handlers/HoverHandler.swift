import MeshConfig
import MeshSyntax
import WireJSON

/// `textDocument/hover`: on a service name (definition or reference) the service's static
/// description; on a key or value its documentation and default from MeshSchema.
enum HoverHandler: RequestHandler {
    static let method = "textDocument/hover"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        guard let hover = contents(at: offset, in: snapshot.analysis) else { return .null }
        return ["contents": LSP.markup(hover.markdown, plainText: !context.client.hoverMarkdown), "range": converter.range(hover.range)]
    }

    /// The markdown and the range it describes, or nil where there is nothing to say.
    static func contents(at offset: Int, in analysis: DocumentAnalysis) -> (markdown: String, range: ByteRange)? {
        if let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) {
            guard let service = analysis.config.service(named: occurrence.name) else {
                return ("**unknown service `\(occurrence.name)`**: it is not defined under `services`", occurrence.range)
            }
            return (ServiceSummary.markdown(for: service, in: analysis.config), occurrence.range)
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
        return (SchemaDocs.markdown(for: schema, key: key), tree.range(node))
    }
}
