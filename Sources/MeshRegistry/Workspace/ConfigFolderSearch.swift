import Foundation
import MeshSyntax

/// Looks for mesh configs in folders, without following anything out of them: the one
/// search the CLI's config discovery and the language server's workspace symbols share
/// (docs/guide/config-discovery.md).
///
/// A file is a mesh config when its name is `diddy-mesh.json(c)` or `*.mesh.json(c)`, or
/// when it is a JSON file whose top-level `$schema` ends in `diddy-mesh.schema.json`.
/// Inside a folder nothing is followed out: a symbolic link (to a file or a folder) is
/// skipped with a note, as is a FIFO, socket or device, so a repository can neither send
/// the search outside itself, loop it through links to `..`, nor make it block on a pipe
/// (docs/security.md). ``Limits`` bound the work a huge tree can cost.
public struct ConfigFolderSearch: Sendable {
    /// How far one search goes; unbounded by default (a command run on purpose).
    public struct Limits: Sendable, Equatable {
        /// The most directory entries looked at.
        public var entries: Int
        /// The most config files taken.
        public var files: Int

        /// Limits of `entries` directory entries and `files` configs.
        public init(entries: Int = .max, files: Int = .max) {
            self.entries = entries
            self.files = files
        }
    }

    /// A file the search found.
    public struct Found: Sendable, Hashable {
        /// Its path.
        public var path: String
        /// Whether only a `$schema` near its head makes it a config; ``declaresMeshSchema(_:)``
        /// on its parsed tree confirms it (a string elsewhere could have matched).
        public var bySchema: Bool
    }

    /// The files found, in the order of the searches, each search's sorted by path.
    public private(set) var found: [Found] = []
    /// One sentence per entry skipped for safety, for stderr.
    public private(set) var notes: [String] = []
    /// Whether a limit stopped the search before it had looked at everything.
    public private(set) var truncated = false

    private var entriesLeft: Int
    private let fileLimit: Int

    /// A search that has found nothing yet.
    public init(limits: Limits = Limits()) {
        entriesLeft = limits.entries
        fileLimit = limits.files
    }

    /// Folders that never hold configs worth checking and can be huge.
    public static let skippedDirectories: Set<String> = ["node_modules", ".git", ".build", ".wrangler", ".svn", ".hg"]

    /// What every "no mesh config found" message says was looked for.
    public static let lookedFor =
        "diddy-mesh.json(c), *.mesh.json(c) and JSON files whose $schema ends in diddy-mesh.schema.json"

    /// Searches `directory` and its sub-folders (dot-folders and ``skippedDirectories``
    /// left out); the files found are sorted.
    public mutating func searchTree(_ directory: String) {
        var files: [Found] = []
        var pending = [directory]
        while let current = pending.popLast() {
            for (entry, path) in entries(of: current) {
                switch WorkspaceFile.kind(of: path) {
                case .directory:
                    if Self.isSearched(folder: entry) { pending.append(path) }
                case .regular:
                    guard let file = Self.candidate(entry, at: path) else { continue }
                    if found.count + files.count < fileLimit { files.append(file) } else { truncated = true }
                case .symbolicLink:
                    if Self.isSearched(folder: entry) { notes.append(Self.linkNote(path)) }
                case .other(let kind):
                    if Self.isJSONName(entry) { notes.append(Self.otherNote(path, kind: kind)) }
                case nil:
                    continue
                }
            }
        }
        found += files.sorted { $0.path < $1.path }
    }

    /// Searches the files directly in `directory`, not its sub-folders (a parent folder
    /// of the upward search, whose other sub-folders belong to other projects). Only
    /// entries that would be configs are worth a note.
    public mutating func searchFolder(_ directory: String) {
        for (entry, path) in entries(of: directory) {
            switch WorkspaceFile.kind(of: path) {
            case .regular:
                if let file = Self.candidate(entry, at: path) { found.append(file) }
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
    public static func isConfigName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "diddy-mesh.json" || lowered == "diddy-mesh.jsonc"
            || lowered.hasSuffix(".mesh.json") || lowered.hasSuffix(".mesh.jsonc")
    }

    /// Whether the top-level `$schema` of `tree` ends in `diddy-mesh.schema.json`.
    public static func declaresMeshSchema(_ tree: SyntaxTree) -> Bool {
        guard let root = tree.rootValue, let schema = tree.member("$schema", of: root)?.value,
            let value = tree.string(schema)
        else { return false }
        return value.hasSuffix("diddy-mesh.schema.json")
    }

    /// The entries of `directory`, sorted, each with its path; none when it cannot be
    /// listed or the entry budget is spent.
    private mutating func entries(of directory: String) -> [(name: String, path: String)] {
        guard entriesLeft > 0 else {
            truncated = true
            return []
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let taken = names.sorted().prefix(entriesLeft)
        if taken.count < names.count { truncated = true }
        entriesLeft -= taken.count
        return taken.map { name in
            (name, directory.hasSuffix("/") ? directory + name : directory + "/" + name)
        }
    }

    private static func isSearched(folder name: String) -> Bool {
        !name.hasPrefix(".") && !skippedDirectories.contains(name)
    }

    private static func candidate(_ name: String, at path: String) -> Found? {
        if isConfigName(name) { return Found(path: path, bySchema: false) }
        if isJSONName(name), headDeclaresSchema(path) { return Found(path: path, bySchema: true) }
        return nil
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

    /// Reads only the first 4 KiB: a `$schema` key is conventionally first, and reading
    /// every JSON file of a repository whole would be slow. The read neither follows a
    /// symbolic link nor waits on anything but a regular file.
    private static func headDeclaresSchema(_ path: String) -> Bool {
        guard case .success(let head) = WorkspaceFile.read(path, limit: 4096, links: .refuse, truncating: true)
        else { return false }
        let text = String(decoding: head, as: UTF8.self)
        return text.contains("\"$schema\"") && text.contains("diddy-mesh.schema.json")
    }
}
