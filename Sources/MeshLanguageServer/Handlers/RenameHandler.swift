import MeshConfig
import MeshSyntax
import WireJSON

/// `textDocument/rename`: renames a service at its definition and every reference.
enum RenameHandler: RequestHandler {
    static let method = "textDocument/rename"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter, offset) = try context.position(in: reader)
        let newName = try reader.string("newName")
        let edits = try edits(renamingAt: offset, to: newName, in: snapshot.analysis)
        return LSP.workspaceEdit(uri: snapshot.uri, edits: edits, converter: converter)
    }

    /// The edits, or why the rename cannot be done: the new name must be a valid service
    /// name that no other service has.
    static func edits(renamingAt offset: Int, to newName: String, in analysis: DocumentAnalysis) throws(ResponseError)
        -> [TextEdit]
    {
        guard let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) else {
            throw .requestFailed("there is no service name at this position")
        }
        guard newName != occurrence.name else { return [] }
        guard MeshSchema.serviceNamePattern.matches(newName) else {
            throw .invalidParams(
                "'\(newName)' is not a valid service name: \(MeshSchema.serviceNamePattern.expectation)")
        }
        guard analysis.config.service(named: newName) == nil else {
            throw .requestFailed("a service named '\(newName)' already exists")
        }
        return ServiceSymbols.occurrences(of: occurrence.name, in: analysis).map {
            TextEdit(range: ServiceSymbols.innerRange($0.range, in: analysis.source), newText: newName)
        }
    }
}
