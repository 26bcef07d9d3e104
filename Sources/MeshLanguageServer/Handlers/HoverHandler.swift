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

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        guard let hover = HoverContent.at(offset, in: snapshot.analysis) else { return .null }
        var markdown = hover.markdown
        if let subject = hover.live,
            let section = await LiveHover.section(for: subject, in: snapshot, live: context.live)
        {
            markdown += "\n\n---\n\n" + section
        }
        return [
            "contents": LSP.markup(markdown, plainText: !context.client.hoverMarkdown),
            "range": converter.range(hover.range),
        ]
    }
}
