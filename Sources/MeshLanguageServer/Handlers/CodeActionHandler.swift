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
        return .array(actions(for: range, in: snapshot.analysis).map { action in
            [
                "title": .string(action.fix.title),
                "kind": "quickfix",
                "diagnostics": [LSPDiagnostic.json(action.diagnostic, uri: snapshot.uri, converter: converter)],
                "isPreferred": .bool(action.isPreferred),
                "edit": LSP.workspaceEdit(uri: snapshot.uri, edits: action.fix.edits, converter: converter),
            ]
        })
    }

    /// One quick fix and the diagnostic it resolves.
    struct Action: Sendable, Equatable {
        var diagnostic: Diagnostic
        var fix: Fix
        /// The only fix of its diagnostic, which an editor may apply with one key.
        var isPreferred: Bool
    }

    /// The fixes of every diagnostic whose range overlaps or touches `range`.
    static func actions(for range: ByteRange, in analysis: DocumentAnalysis) -> [Action] {
        analysis.diagnostics
            .filter { $0.range.start <= range.end && range.start <= $0.range.end }
            .flatMap { diagnostic in
                diagnostic.fixes.map { Action(diagnostic: diagnostic, fix: $0, isPreferred: diagnostic.fixes.count == 1) }
            }
    }
}
