import MeshSyntax
import WireJSON

/// `textDocument/formatting`: the whole document pretty-printed, comments kept.
///
/// The answer is one edit replacing the document, or no edit when it is already
/// formatted or has syntax errors (which are better fixed first, by hand).
enum FormattingHandler: RequestHandler {
    static let method = "textDocument/formatting"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter) = try context.document(in: reader)
        let options = try reader.object("options")
        var layout = JSONCFormatter.Options()
        if let tabSize = try options.optionalInt("tabSize"), (1...16).contains(tabSize) { layout.indentWidth = tabSize }
        layout.useTabs = try options.optionalBool("insertSpaces") == false
        guard let edit = JSONCFormatter.edit(for: snapshot.analysis.tree, options: layout) else { return [] }
        return [LSP.textEdit(edit, converter: converter)]
    }
}
