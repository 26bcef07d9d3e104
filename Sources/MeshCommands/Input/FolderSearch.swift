import Foundation
import MeshRegistry
import MeshSyntax

/// Looks for mesh configs in folders, without following anything out of them.
///
/// A file is a mesh config when its name is `diddy-mesh.json(c)` or `*.mesh.json(c)`, or
/// when it is a JSON file whose top-level `$schema` ends in `diddy-mesh.schema.json`
/// (docs/guide/config-reference.md). Inside a folder nothing is followed out: a symbolic
/// link (to a file or a folder) is skipped with a note, as is a FIFO, socket or device, so
/// a repository can neither send the search outside itself, loop it through links to
/// `..`, nor make it block on a pipe (docs/security.md).
struct FolderSearch {
    /// The configs found, in the order of the searches.
    var configs: [ConfigSource] = []
    /// One sentence per entry skipped for safety, for stderr.
    var notes: [String] = []

    /// Folders that never hold configs worth checking and can be huge.
    static let skippedDirectories: Set<String> = ["node_modules", ".git", ".build", ".wrangler", ".svn", ".hg"]

    /// What every "no mesh config found" message says was looked for.
    static let lookedFor =
        "diddy-mesh.json(c), *.mesh.json(c) and JSON files whose $schema ends in diddy-mesh.schema.json"

    /// Searches `directory` and its sub-folders (dot-folders and ``skippedDirectories``
    /// left out); the files found are sorted.
    mutating func searchTree(_ directory: String) {
        var files: [String] = []
        var pending = [directory]
        while let current = pending.popLast() {
            for (entry, path) in Self.entries(of: current) {
                switch WorkspaceFile.kind(of: path) {
                case .directory:
                    if Self.isSearched(folder: entry) { pending.append(path) }
                case .regular:
                    if Self.isConfig(entry, at: path) { files.append(path) }
                case .symbolicLink:
                    if Self.isSearched(folder: entry) { notes.append(Self.linkNote(path)) }
                case .other(let kind):
                    if Self.isJSONName(entry) { notes.append(Self.otherNote(path, kind: kind)) }
                case nil:
                    continue
                }
            }
        }
        configs += files.sorted().map { .file($0, links: .refuse) }
    }

    /// Searches the files directly in `directory`, not its sub-folders (a parent folder
    /// of the upward search, whose other sub-folders belong to other projects). Only
    /// entries that would be configs are worth a note.
    mutating func searchFolder(_ directory: String) {
        for (entry, path) in Self.entries(of: directory) {
            switch WorkspaceFile.kind(of: path) {
            case .regular:
                if Self.isConfig(entry, at: path) { configs.append(.file(path, links: .refuse)) }
            case .symbolicLink:
                if Self.isJSONName(entry) { notes.append(Self.linkNote(path)) }
            case .other(let kind):
                if Self.isJSONName(entry) { notes.append(Self.otherNote(path, kind: kind)) }
            case .directory, nil:
                continue
            }
        }
    }

    /// Whether a file name marks a mesh config by itself.
    static func isConfigName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "diddy-mesh.json" || lowered == "diddy-mesh.jsonc"
            || lowered.hasSuffix(".mesh.json") || lowered.hasSuffix(".mesh.jsonc")
    }

    /// The entries of `directory`, sorted, each with its path; none when it cannot be listed.
    private static func entries(of directory: String) -> [(name: String, path: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().map { name in
            (name, directory.hasSuffix("/") ? directory + name : directory + "/" + name)
        }
    }

    private static func isSearched(folder name: String) -> Bool {
        !name.hasPrefix(".") && !skippedDirectories.contains(name)
    }

    private static func isConfig(_ name: String, at path: String) -> Bool {
        isConfigName(name) || (isJSONName(name) && declaresMeshSchema(path))
    }

    private static func linkNote(_ path: String) -> String {
        "skipped '\(path)': a symbolic link is not followed in a folder search (name its target to check it)"
    }

    private static func otherNote(_ path: String, kind: String) -> String {
        "skipped '\(path)': it is \(kind), not a regular file"
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
