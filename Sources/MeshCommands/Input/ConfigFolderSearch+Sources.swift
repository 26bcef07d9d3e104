import MeshRegistry
import MeshSyntax

extension ConfigFolderSearch {
    /// The configs found, as the sources a command reads: nothing is followed through a
    /// symbolic link when they are read. A file that only its head's `$schema` made a
    /// candidate is parsed whole first, so a `$schema` string somewhere else in a JSON
    /// file does not make it a config.
    var configs: [ConfigSource] {
        found.filter { !$0.bySchema || Self.confirmsSchema($0.path) }.map { .file($0.path, links: .refuse) }
    }

    private static func confirmsSchema(_ path: String) -> Bool {
        guard case .success(let bytes) = WorkspaceFile.read(path, limit: FileReader.maximumSize, links: .refuse)
        else { return false }
        return declaresMeshSchema(JSONParser.parse(SourceText(bytes: bytes), options: ParseOptions(dialect: .jsonc)))
    }
}
