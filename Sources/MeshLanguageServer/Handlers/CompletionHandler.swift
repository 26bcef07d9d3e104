import MeshConfig
import MeshSyntax
import WireJSON

/// `textDocument/completion`: service names where a service is referenced, the keys
/// valid at the cursor (with docs and a value placeholder), and enum values.
enum CompletionHandler: RequestHandler {
    static let method = "textDocument/completion"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter, offset) = try context.position(in: try ParamsReader(params))
        // A config with a thousand services would otherwise build and send a megabyte of
        // service summaries on every completion; a client that resolves documentation
        // asks for the one item it shows.
        let items = CompletionItems.at(
            offset, in: snapshot.analysis, snippets: context.client.snippets,
            serviceDocumentation: !context.client.resolvesCompletionDocumentation)
        let encoding = CompletionItem.Encoding(
            converter: converter, markdown: context.client.completionMarkdown, uri: snapshot.uri,
            defaults: context.client.completionItemDefaults)
        return encoding.list(items)
    }
}

/// How completion items become LSP JSON.
extension CompletionItem {
    /// How items become LSP JSON for one answer.
    ///
    /// Every item of one answer replaces the same range, so where the client takes LSP
    /// 3.17 `itemDefaults` the range (and the document a lazy item resolves against) is
    /// sent once for the list instead of once per item: a thousand service names then cost
    /// one JSON object each instead of six.
    struct Encoding {
        let converter: PositionConverter
        let markdown: Bool
        let uri: String
        let defaults: Set<String>

        /// The `CompletionList`.
        func list(_ items: [CompletionItem]) -> JSONValue {
            var list: JSONObject = ["isIncomplete": false]
            let sharedRange = defaults.contains("editRange") ? items.first?.replace : nil
            let useRange = sharedRange.map { range in items.allSatisfy { $0.replace == range } } ?? false
            let sharedData =
                defaults.contains("data") && items.contains { $0.resolveService != nil && $0.documentation == nil }
            if useRange || sharedData {
                var itemDefaults = JSONObject()
                if useRange, let sharedRange { itemDefaults["editRange"] = converter.range(sharedRange) }
                if sharedData { itemDefaults["data"] = ["uri": .string(uri)] }
                list["itemDefaults"] = .object(itemDefaults)
            }
            list["items"] = .array(items.map { item($0, rangeIsDefault: useRange, dataIsDefault: sharedData) })
            return .object(list)
        }

        /// One `CompletionItem`. Its `filterText` is the inserted text up to the value, so
        /// that a client matching the typed `"ti` (quote included) still finds `timeout`.
        func item(_ item: CompletionItem, rangeIsDefault: Bool = false, dataIsDefault: Bool = false) -> JSONValue {
            var object: JSONObject = [
                "label": .string(item.label),
                "kind": .int(item.kind),
            ]
            if rangeIsDefault {
                object["textEditText"] = .string(item.newText)
            } else {
                object["textEdit"] = ["range": converter.range(item.replace), "newText": .string(item.newText)]
            }
            object["filterText"] = .string(item.newText.hasPrefix("\"") ? "\"\(item.label)\"" : item.label)
            // Plain text is the default format; only snippets need saying.
            if item.isSnippet { object["insertTextFormat"] = 2 }
            if let detail = item.detail { object["detail"] = .string(detail) }
            if let documentation = item.documentation {
                object["documentation"] =
                    markdown ? ["kind": "markdown", "value": .string(documentation)] : .string(documentation)
            }
            if let sortText = item.sortText { object["sortText"] = .string(sortText) }
            if item.documentation == nil, let service = item.resolveService, !dataIsDefault {
                object["data"] = ["uri": .string(uri), "service": .string(service)]
            }
            return .object(object)
        }
    }
}
