import Foundation
import MeshRegistry

/// The repository a search with no path stays in: the nearest folder, from the start
/// upward, that holds `.git` (a folder, or the file of a worktree or submodule).
///
/// Like wrangler and ESLint, a command run in a sub-folder finds the config above it; unlike
/// them, the search never leaves the repository, so a config in a shared parent folder
/// (`/tmp`, a home folder) is never picked up by accident.
struct RepositoryRoot {
    /// A folder as messages show it and as the search opens it.
    struct Folder: Sendable, Equatable {
        /// `..`, `../..` above the current folder, else the absolute path.
        let shown: String
        let path: String
    }

    /// The parents of the start up to and including the repository root, nearest first;
    /// empty when the start is the root or is not in a repository.
    let parents: [Folder]
    /// Whether the start itself holds `.git`.
    let startIsRoot: Bool
    /// Whether a repository root was found (the start or a parent).
    var found: Bool { startIsRoot || !parents.isEmpty }

    /// Walks up from `start` (`.` is the current folder).
    init(start: String) {
        let absolute = URL(
            fileURLWithPath: start,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        ).standardizedFileURL.path
        startIsRoot = Self.holdsGit(absolute)
        var parents: [Folder] = []
        var current = absolute
        var level = 0
        while !startIsRoot {
            let parent = (current as NSString).deletingLastPathComponent
            guard parent != current, !parent.isEmpty else {
                // The file system's root was passed without finding `.git`: no repository.
                parents = []
                break
            }
            level += 1
            let shown = start == "." ? Array(repeating: "..", count: level).joined(separator: "/") : parent
            parents.append(Folder(shown: shown, path: start == "." ? shown : parent))
            if Self.holdsGit(parent) { break }
            current = parent
        }
        self.parents = parents
    }

    private static func holdsGit(_ folder: String) -> Bool {
        WorkspaceFile.kind(of: (folder as NSString).appendingPathComponent(".git")) != nil
    }
}
