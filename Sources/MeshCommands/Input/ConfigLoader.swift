import MeshConfig
import MeshRouter
import MeshSyntax

/// Reads and analyses one config for the commands that use its model (`route`).
public enum ConfigLoader {
    /// The analysed document at `path`, or a message saying why it cannot be read.
    public static func load(_ path: String) -> Result<MeshDocument, FileReader.Failure> {
        switch FileReader.read(path) {
        case .success(let bytes):
            if ConfigAnalysis.looksBinary(bytes) {
                return .failure(FileReader.Failure(message: "'\(path)' is a binary file, not a JSON mesh config"))
            }
            return .success(MeshDocument.analyze(SourceText(bytes: bytes), path: path))
        case .failure(let failure):
            return .failure(failure)
        }
    }
}
