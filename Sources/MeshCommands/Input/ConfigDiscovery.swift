import Foundation
import MeshRegistry

/// The one way every command finds its configs (docs/guide/config-discovery.md).
///
/// A path may be a file (used as given, whatever its name), a folder (searched with its
/// sub-folders) or `-` (standard input). With no path, the current folder is searched with
/// its sub-folders and, when it holds no config, each folder above it up to the
/// repository root (``RepositoryRoot``), looking only at the files directly inside them.
/// `check` takes every config found; `route`, `health probe` and `config` need exactly one
/// (``single(in:stdinName:from:command:)``).
public enum ConfigDiscovery {
    /// Why discovery could not go on.
    public struct Failure: Error, Sendable, Hashable {
        /// A sentence for the user.
        public let message: String
        /// What the search passed over on purpose, which may be why it found nothing.
        public var notes: [String] = []
        /// Whether the search with no path ran to its end and found no config (rather than
        /// failing): `kv` goes on without a config then.
        public var foundNothing = false

        /// A failure saying `message`, after `notes`.
        public init(message: String, notes: [String] = [], foundNothing: Bool = false) {
            self.message = message
            self.notes = notes
            self.foundNothing = foundNothing
        }

        /// The notes and the message as stderr lines (`note: ...`, then `error: ...`).
        public var report: String {
            noteLines(notes) + "error: \(message)\n"
        }
    }

    /// `notes` as stderr lines, `note: ...` each.
    public static func noteLines(_ notes: [String]) -> String {
        notes.map { "note: \($0)\n" }.joined()
    }

    /// What a search found: the configs, and what it passed over on purpose.
    public struct Found: Sendable, Equatable {
        /// The configs, each path's results sorted.
        public var configs: [ConfigSource] = []
        /// One sentence per entry skipped for safety (a symbolic link, a FIFO), for stderr.
        public var notes: [String] = []
        /// The paths (or standard input's name) of ``configs``.
        public var files: [String] { configs.map(\.displayPath) }
    }

    /// The path that names standard input.
    public static let standardInputPath = "-"

    /// The config files under `paths`, each path's results sorted.
    public static func configFiles(in paths: [String]) -> Result<[String], Failure> {
        discover(in: paths).map(\.files)
    }

    /// Finds the configs `paths` name, or searches from `start` (the current folder) when
    /// there are none. A path named here is used as given, symbolic links included: the
    /// user chose it. `stdinName` (`--stdin-filename`) names standard input in messages.
    /// Finding nothing at all is a failure that says what was searched.
    public static func discover(
        in paths: [String], stdinName: String? = nil, from start: String = ".",
        searchLimit: Int = implicitSearchLimit
    ) -> Result<Found, Failure> {
        if stdinName != nil, !paths.contains(standardInputPath) {
            return .failure(Failure(message: "--stdin-filename names standard input: give '-' as the path too"))
        }
        guard !paths.isEmpty else { return searchUpward(from: start, limit: searchLimit) }
        if paths.filter({ $0 == standardInputPath }).count > 1 {
            return .failure(Failure(message: "standard input ('-') can be read only once"))
        }
        var found = Found()
        var folders: [String] = []
        for path in paths {
            if path == standardInputPath {
                found.configs.append(.standardInput(name: stdinName))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return .failure(Failure(message: "cannot read '\(path)': no such file or directory"))
            }
            if isDirectory.boolValue {
                var search = ConfigFolderSearch()
                search.searchTree(path)
                found.configs += search.configs
                found.notes += search.notes
                folders.append(path)
            } else {
                found.configs.append(.file(path, links: .follow))
            }
        }
        guard !found.configs.isEmpty else {
            return .failure(
                Failure(
                    message: "no mesh config found in \(list(folders)) (searched \(folders.count == 1 ? "it" : "each") "
                        + "with its sub-folders for \(ConfigFolderSearch.lookedFor))",
                    notes: found.notes))
        }
        return .success(found)
    }

    /// The one config `paths` name or the search from `start` finds, for a command that
    /// reads exactly one (`command` names it in the message when several are found).
    public static func single(in paths: [String], stdinName: String? = nil, from start: String = ".", command: String)
        -> Result<(config: ConfigSource, notes: [String]), Failure>
    {
        switch discover(in: paths, stdinName: stdinName, from: start) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let found):
            guard let config = found.configs.first else {
                return .failure(Failure(message: "no mesh config found", notes: found.notes))
            }
            guard found.configs.count == 1 else {
                return .failure(
                    Failure(
                        message: "\(command) reads one mesh config, and \(found.configs.count) were found: "
                            + found.files.joined(separator: ", ") + "; name the one to use",
                        notes: found.notes))
            }
            return .success((config, found.notes))
        }
    }

    /// The most directory entries the search with no path looks at under the current
    /// folder. A command run by accident in a home folder or at `/` would otherwise walk
    /// all of it before saying anything; a path named on the command line is searched
    /// whole, since the user chose it.
    public static let implicitSearchLimit = 200_000

    /// The search with no path: `start` with its sub-folders, then each folder above it up
    /// to the repository root, stopping at the first folder that holds a config.
    private static func searchUpward(from start: String, limit: Int) -> Result<Found, Failure> {
        var tree = ConfigFolderSearch(limits: ConfigFolderSearch.Limits(entries: limit))
        tree.searchTree(start)
        if tree.truncated {
            // A partial search could check some configs and silently skip others.
            return .failure(
                Failure(
                    message:
                        "\(start) holds more than \(limit.formatted()) files and folders, too many to search without a "
                        + "path; name a config file or folder", notes: tree.notes))
        }
        var configs = tree.configs
        var notes = tree.notes
        let repository = RepositoryRoot(start: start)
        var searched: [String] = []
        for folder in repository.parents where configs.isEmpty {
            var above = ConfigFolderSearch()
            above.searchFolder(folder.path)
            configs = above.configs
            notes += above.notes
            searched.append(folder.shown)
        }
        guard configs.isEmpty else { return .success(Found(configs: configs, notes: notes)) }
        var message = "no mesh config found: searched \(start) with its sub-folders"
        if let root = repository.parents.last {
            let between = searched.dropLast()
            message +=
                ", then " + (between.isEmpty ? "" : list(Array(between)) + " and ")
                + "\(root.shown) (the repository root, which holds .git),"
        } else if repository.startIsRoot {
            message += " (the repository root, which holds .git),"
        }
        message += " for \(ConfigFolderSearch.lookedFor)"
        if !repository.found {
            message +=
                "; no folder above was searched, because none up to / holds .git (the search stops at the "
                + "repository root)"
        }
        return .failure(Failure(message: message + "; name a config file or folder", notes: notes, foundNothing: true))
    }

    private static func list(_ items: [String]) -> String {
        items.joined(separator: ", ")
    }
}
