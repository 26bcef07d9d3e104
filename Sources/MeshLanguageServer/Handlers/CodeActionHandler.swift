import MeshSyntax
import WireJSON

/// `textDocument/codeAction`: the quick fixes the checks attach to their diagnostics
/// (did-you-mean replacements, removing a duplicate or shadowed rule, `https://`, ...),
/// for the diagnostics that touch the requested range.
enum CodeActionHandler: RequestHandler {
    static let method = "textDocument/codeAction"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter) = try context.document(in: reader)
        let range = converter.range(of: try reader.range())
        if let only = try reader.optionalObject("context")?.optionalArray("only") {
            let kinds = only.compactMap(\.stringValue)
            guard kinds.contains(where: { $0 == "quickfix" || $0 == "" }) else { return [] }
        }
        return .array(
            QuickFixes.actions(for: range, in: snapshot.analysis).map { action in
                [
                    "title": .string(action.fix.title),
                    "kind": "quickfix",
                    "diagnostics": [LSPDiagnostic.json(action.diagnostic, uri: snapshot.uri, converter: converter)],
                    "isPreferred": .bool(action.isPreferred),
                    "edit": LSP.workspaceEdit(uri: snapshot.uri, edits: action.fix.edits, converter: converter),
                ]
            })
    }
}
