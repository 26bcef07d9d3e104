import MeshRegistry

/// Reads files for the commands, with messages a user can act on.
public enum FileReader {
    /// The largest file read (configs are far smaller; this bounds memory on a mistake).
    public static let maximumSize = 256 * 1024 * 1024

    /// Why a file could not be read.
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// The bytes of `path`, a regular file of at most ``maximumSize`` bytes. A FIFO or a
    /// device is refused at once instead of blocking or reading forever; `links` says
    /// whether a symbolic link is followed (yes for a path the user named).
    public static func read(_ path: String, links: WorkspaceFile.Links = .follow) -> Result<[UInt8], Failure> {
        WorkspaceFile.read(path, limit: maximumSize, links: links).mapError { Failure(message: $0.message) }
    }
}
