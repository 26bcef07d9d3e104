import MeshSyntax
import WireJSON

/// `textDocument/selectionRange` (``SelectionRanges``): one nested `SelectionRange` per
/// position asked for, outermost as the last `parent`.
enum SelectionRangeHandler: RequestHandler {
    static let method = "textDocument/selectionRange"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter) = try context.document(in: reader)
        let tree = snapshot.analysis.tree
        var results: [JSONValue] = []
        for position in try reader.positions("positions") {
            let chain = SelectionRanges.chain(at: converter.offset(of: position), in: tree)
            var nested: JSONValue?
            for range in chain.reversed() {
                var object: JSONObject = ["range": converter.range(range)]
                if let nested { object["parent"] = nested }
                nested = .object(object)
            }
            results.append(nested ?? ["range": converter.range(.empty(at: 0))])
        }
        return .array(results)
    }
}
