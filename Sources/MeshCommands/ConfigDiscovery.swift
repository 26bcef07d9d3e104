import Foundation
import MeshSyntax

/// Finds mesh config files under the paths given to `check`.
///
/// A file named on the command line is always checked. In a directory, a file is a mesh
/// config when its name is `diddy-mesh.json(c)` or `*.mesh.json(c)`, or when it is a JSON
/// file whose top-level `$schema` ends in `diddy-mesh.schema.json` (config.md).
public enum ConfigDiscovery {
    /// Why discovery could not go on.
    public struct Failure: Error, Sendable, Hashable {
        /// A sentence for the user.
        public let message: String
    }

    /// Directories that never hold configs worth checking and can be huge.
    static let skippedDirectories: Set<String> = ["node_modules", ".git", ".build", ".wrangler", ".svn", ".hg"]

    /// The config files under `paths`, each path's results sorted.
    public static func configFiles(in paths: [String]) -> Result<[String], Failure> {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return .failure(Failure(message: "cannot read '\(path)': no such file or directory"))
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            files.append(contentsOf: search(directory: path))
        }
        return .success(files)
    }

    /// Whether a file name marks a mesh config by itself.
    public static func isConfigName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "diddy-mesh.json" || lowered == "diddy-mesh.jsonc"
            || lowered.hasSuffix(".mesh.json") || lowered.hasSuffix(".mesh.jsonc")
    }

    private static func search(directory: String) -> [String] {
        var found: [String] = []
        var pending = [directory]
        let manager = FileManager.default
        while let current = pending.popLast() {
            guard let entries = try? manager.contentsOfDirectory(atPath: current) else { continue }
            for entry in entries.sorted() {
                let path = current.hasSuffix("/") ? current + entry : current + "/" + entry
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    if !entry.hasPrefix("."), !skippedDirectories.contains(entry) { pending.append(path) }
                } else if isConfigName(entry) || (isJSONName(entry) && declaresMeshSchema(path)) {
                    found.append(path)
                }
            }
        }
        return found.sorted()
    }

    private static func isJSONName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonc")
    }

    /// Reads only the head of the file: a `$schema` key is conventionally first, and
    /// reading every JSON file of a repository whole would be slow.
    private static func declaresMeshSchema(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let text = String(decoding: head, as: UTF8.self)
        guard text.contains("\"$schema\""), text.contains("diddy-mesh.schema.json"),
              let bytes = manager.contents(atPath: path) else { return false }
        let tree = JSONParser.parse(SourceText(bytes: Array(bytes)), options: ParseOptions(dialect: .jsonc))
        guard let root = tree.rootValue, let schema = tree.member("$schema", of: root)?.value,
              let value = tree.string(schema) else { return false }
        return value.hasSuffix("diddy-mesh.schema.json")
    }

    private static var manager: FileManager { FileManager.default }
}
