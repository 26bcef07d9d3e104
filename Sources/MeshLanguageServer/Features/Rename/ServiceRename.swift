import MeshConfig
import MeshSyntax

/// Renaming a service (`textDocument/rename`): its definition and every reference, as
/// byte-range edits; ``RenameHandler`` turns them into a workspace edit.
enum ServiceRename {
    /// Why a rename cannot be done.
    enum Refusal: Error, Equatable {
        /// The cursor is not on a service name.
        case noServiceHere
        /// The new name is not a valid service name; the text says what is expected.
        case invalidName(String)
        /// Another service already has the new name.
        case nameTaken(String)
    }

    /// The edits renaming the service at `offset` to `newName`: the new name must be a
    /// valid service name that no other service has.
    static func edits(renamingAt offset: Int, to newName: String, in analysis: DocumentAnalysis) throws(Refusal)
        -> [TextEdit]
    {
        guard let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) else {
            throw .noServiceHere
        }
        guard newName != occurrence.name else { return [] }
        guard MeshSchema.serviceNamePattern.matches(newName) else {
            throw .invalidName("'\(newName)' is not a valid service name: \(MeshSchema.serviceNamePattern.expectation)")
        }
        guard analysis.config.service(named: newName) == nil else {
            throw .nameTaken("a service named '\(newName)' already exists")
        }
        return ServiceSymbols.occurrences(of: occurrence.name, in: analysis).map {
            TextEdit(range: ServiceSymbols.innerRange($0.range, in: analysis.source), newText: newName)
        }
    }
}
