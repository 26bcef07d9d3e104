import MeshSyntax
import WireJSON

/// `textDocument/rename`: renames a service at its definition and every reference
/// (``ServiceRename``).
enum RenameHandler: RequestHandler {
    static let method = "textDocument/rename"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let (snapshot, converter, offset) = try context.position(in: reader)
        let newName = try reader.string("newName")
        let edits: [TextEdit]
        do {
            edits = try ServiceRename.edits(renamingAt: offset, to: newName, in: snapshot.analysis)
        } catch {
            switch error {
            case .noServiceHere: throw .requestFailed("there is no service name at this position")
            case .invalidName(let message): throw .invalidParams(message)
            case .nameTaken(let message): throw .requestFailed(message)
            }
        }
        return LSP.workspaceEdit(uri: snapshot.uri, edits: edits, converter: converter)
    }
}
