import MeshConfig
import WireJSON

/// `completionItem/resolve`: the documentation of a service item that was sent without it
/// (to clients that resolve documentation lazily), from the document's current text.
///
/// Items the server did not mark, and items whose document or service is gone, come back
/// unchanged: resolving must never fail an item the user is looking at.
enum CompletionResolveHandler: RequestHandler {
    static let method = "completionItem/resolve"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        guard case .object(var item)? = params else {
            throw .invalidParams("completionItem/resolve takes a CompletionItem object")
        }
        // With `itemDefaults` the data holds only the document; the label is the service.
        guard let uri = item["data"]?["uri"]?.stringValue,
            let name = item["data"]?["service"]?.stringValue ?? item["label"]?.stringValue,
            let snapshot = try? context.document(uri)
        else { return .object(item) }
        let config = snapshot.analysis.config
        guard let service = config.service(named: name) else { return .object(item) }
        let markdown = ServiceSummary.markdown(for: service, in: config)
        item["documentation"] =
            context.client.completionMarkdown ? ["kind": "markdown", "value": .string(markdown)] : .string(markdown)
        return .object(item)
    }
}
