import MeshConfig
import MeshSyntax
import WireJSON

/// `textDocument/documentSymbol`: the outline — services with their endpoints, and the
/// routing rules named by `name` or by path.
enum DocumentSymbolHandler: RequestHandler {
    static let method = "textDocument/documentSymbol"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter) = try context.document(in: try ParamsReader(params))
        let symbols = DocumentOutline.symbols(in: snapshot.analysis)
        if context.client.hierarchicalSymbols {
            return .array(symbols.map { $0.json(converter) })
        }
        return .array(symbols.flatMap { $0.flattened(uri: snapshot.uri, container: nil, converter: converter) })
    }
}

/// Outline entries as LSP JSON.
extension OutlineSymbol {
    /// A `DocumentSymbol`. Clients reject empty names, so an empty one is shown quoted.
    func json(_ converter: PositionConverter) -> JSONValue {
        var object: JSONObject = [
            "name": .string(name.isEmpty ? "\"\"" : name),
            "kind": .int(kind),
            "range": converter.range(range),
            "selectionRange": converter.range(selectionInsideRange),
        ]
        if !detail.isEmpty { object["detail"] = .string(detail) }
        if !children.isEmpty { object["children"] = .array(children.map { $0.json(converter) }) }
        return .object(object)
    }

    /// `SymbolInformation`s for clients without hierarchical symbols.
    func flattened(uri: String, container: String?, converter: PositionConverter) -> [JSONValue] {
        var object: JSONObject = [
            "name": .string(name.isEmpty ? "\"\"" : name),
            "kind": .int(kind),
            "location": LSP.location(uri: uri, range: range, converter: converter),
        ]
        if let container { object["containerName"] = .string(container) }
        return [.object(object)] + children.flatMap { $0.flattened(uri: uri, container: name, converter: converter) }
    }

    private var selectionInsideRange: ByteRange {
        range.start <= selection.start && selection.end <= range.end ? selection : range
    }
}
