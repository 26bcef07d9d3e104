import Foundation
import MeshRegistry

/// Reads files and standard input for the commands, with messages a user can act on.
public enum FileReader {
    /// The largest file read (configs are far smaller; this bounds memory on a mistake).
    public static let maximumSize = 256 * 1024 * 1024

    /// Why a file could not be read.
    public struct Failure: Error, Sendable {
        /// A sentence for the user, naming what could not be read.
        public let message: String

        /// A failure saying `message`.
        public init(message: String) {
            self.message = message
        }
    }

    /// The bytes of `path`, a regular file of at most ``maximumSize`` bytes. A FIFO or a
    /// device is refused at once instead of blocking or reading forever; `links` says
    /// whether a symbolic link is followed (yes for a path the user named).
    public static func read(_ path: String, links: WorkspaceFile.Links = .follow) -> Result<[UInt8], Failure> {
        WorkspaceFile.read(path, limit: maximumSize, links: links).mapError { Failure(message: $0.message) }
    }

    /// Standard input (`-` on the command line), at most ``maximumSize`` bytes. A terminal
    /// is refused rather than waited on: a config is piped in, never typed.
    public static func readStandardInput() -> Result<[UInt8], Failure> {
        if isatty(STDIN_FILENO) != 0 {
            return .failure(
                Failure(
                    message: "cannot read standard input: it is a terminal; pipe a config into it "
                        + "(for example: cat diddy-mesh.jsonc | diddy-mesh check -)"))
        }
        return read(FileHandle.standardInput, limit: maximumSize)
    }

    /// Everything `handle` gives until its end, failing as soon as it passes `limit` bytes
    /// so that an endless stream (`yes | diddy-mesh check -`) stops at the cap.
    public static func read(_ handle: FileHandle, limit: Int) -> Result<[UInt8], Failure> {
        var bytes: [UInt8] = []
        while true {
            let chunk: Data
            do {
                guard let read = try handle.read(upToCount: 64 * 1024), !read.isEmpty else { return .success(bytes) }
                chunk = read
            } catch {
                return .failure(Failure(message: "cannot read standard input: \(error.localizedDescription)"))
            }
            guard bytes.count + chunk.count <= limit else {
                return .failure(
                    Failure(
                        message: "cannot read standard input: it is larger than the "
                            + "\(WorkspaceFile.sizeText(limit)) limit"))
            }
            bytes.append(contentsOf: chunk)
        }
    }
}
