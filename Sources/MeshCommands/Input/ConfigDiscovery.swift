import Foundation
import MeshRegistry
import MeshSyntax

/// Finds mesh config files under the paths given to `check`.
///
/// A file named on the command line is always checked. In a directory, a file is a mesh
/// config when its name is `diddy-mesh.json(c)` or `*.mesh.json(c)`, or when it is a JSON
/// file whose top-level `$schema` ends in `diddy-mesh.schema.json` (docs/guide/config-reference.md).
public enum ConfigDiscovery {
    /// Why discovery could not go on.
    public struct Failure: Error, Sendable, Hashable {
        /// A sentence for the user.
        public let message: String
    }

    /// Directories that never hold configs worth checking and can be huge.
    static let skippedDirectories: Set<String> = ["node_modules", ".git", ".build", ".wrangler", ".svn", ".hg"]

    /// What a search found: the config files, and what it passed over on purpose.
    public struct Found: Sendable, Equatable {
        /// The config files, each path's results sorted.
        public var files: [String] = []
        /// One sentence per entry skipped for safety (a symbolic link, a FIFO), for stderr.
        public var notes: [String] = []
    }

    /// The config files under `paths`, each path's results sorted.
    public static func configFiles(in paths: [String]) -> Result<[String], Failure> {
        discover(in: paths).map(\.files)
    }

    /// Searches `paths`. A path named here is used as given, symbolic links included: the
    /// user chose it. Inside a folder nothing is followed out: a symbolic link (to a file
    /// or a folder) is skipped with a note, as is a FIFO, socket or device, so a
    /// repository can neither send the search outside itself, loop it through links to
    /// `..`, nor make it block on a pipe (docs/security.md).
    public static func discover(in paths: [String]) -> Result<Found, Failure> {
        var found = Found()
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return .failure(Failure(message: "cannot read '\(path)': no such file or directory"))
            }
            if isDirectory.boolValue {
                search(directory: path, into: &found)
            } else {
                found.files.append(path)
            }
        }
        return .success(found)
    }

    /// Whether a file name marks a mesh config by itself.
    public static func isConfigName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "diddy-mesh.json" || lowered == "diddy-mesh.jsonc"
            || lowered.hasSuffix(".mesh.json") || lowered.hasSuffix(".mesh.jsonc")
    }

    private static func search(directory: String, into found: inout Found) {
        var files: [String] = []
        var pending = [directory]
        let manager = FileManager.default
        while let current = pending.popLast() {
            guard let entries = try? manager.contentsOfDirectory(atPath: current) else { continue }
            for entry in entries.sorted() {
                let path = current.hasSuffix("/") ? current + entry : current + "/" + entry
                switch WorkspaceFile.kind(of: path) {
                case .directory:
                    if !entry.hasPrefix("."), !skippedDirectories.contains(entry) { pending.append(path) }
                case .regular:
                    if isConfigName(entry) || (isJSONName(entry) && declaresMeshSchema(path)) { files.append(path) }
                case .symbolicLink:
                    if !entry.hasPrefix("."), !skippedDirectories.contains(entry) {
                        found.notes.append(
                            "skipped '\(path)': a symbolic link is not followed in a folder search "
                                + "(name its target to check it)")
                    }
                case .other(let kind):
                    if isJSONName(entry) { found.notes.append("skipped '\(path)': it is \(kind), not a regular file") }
                case nil:
                    continue
                }
            }
        }
        found.files += files.sorted()
    }

    private static func isJSONName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonc")
    }

    /// Reads only the head of the file first: a `$schema` key is conventionally first, and
    /// reading every JSON file of a repository whole would be slow. Neither read follows a
    /// symbolic link or waits on anything but a regular file.
    private static func declaresMeshSchema(_ path: String) -> Bool {
        guard case .success(let head) = WorkspaceFile.read(path, limit: 4096, links: .refuse, truncating: true)
        else { return false }
        let text = String(decoding: head, as: UTF8.self)
        guard text.contains("\"$schema\""), text.contains("diddy-mesh.schema.json"),
            case .success(let bytes) = WorkspaceFile.read(path, limit: FileReader.maximumSize, links: .refuse)
        else { return false }
        let tree = JSONParser.parse(SourceText(bytes: bytes), options: ParseOptions(dialect: .jsonc))
        guard let root = tree.rootValue, let schema = tree.member("$schema", of: root)?.value,
            let value = tree.string(schema)
        else { return false }
        return value.hasSuffix("diddy-mesh.schema.json")
    }
}
