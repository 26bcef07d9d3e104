import Foundation
import MeshConfig
import MeshRegistry
import MeshSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The symbols of the workspace folders' configs that are not open, for `workspace/symbol`.
///
/// Each file's symbols are kept with its modification time and size, so a query parses
/// only the files that changed since the last one. Every read is capped: a file larger than
/// ``Limits/fileBytes`` is passed over, and one query reads at most ``Limits/totalBytes``
/// (files it had to parse; cached ones cost nothing), with no symbolic link followed
/// (docs/security.md).
final class WorkspaceSymbolIndex: Sendable {
    /// How much one query may read.
    struct Limits: Sendable, Equatable {
        /// How far the folder search goes: a workspace may be a huge untrusted tree, and
        /// a symbol query should cost a bounded amount of work.
        var search = ConfigFolderSearch.Limits(entries: 50_000, files: 1_000)
        /// The largest config read.
        var fileBytes = 4 << 20
        /// The most bytes read by one query.
        var totalBytes = 32 << 20
        /// How long one walk of the folders serves the queries after it: a symbol picker
        /// sends a query per keystroke, and walking a large tree for each cost more than
        /// answering. A file created meanwhile shows up once the window has passed; a
        /// file changed or deleted shows at once (each file is checked at every query).
        var walkReuse: Duration = .seconds(2)
    }

    /// The symbols of one config file.
    struct FileSymbols: Sendable {
        /// The file's path.
        let path: String
        /// Its services and rules.
        let symbols: [WorkspaceSymbol]
        /// Its lines, to turn the symbols' byte ranges into positions.
        let lineIndex: LineIndex
    }

    /// What identifies one version of a file without reading it.
    private struct Stamp: Equatable {
        let seconds: Int
        let nanoseconds: Int
        let size: Int
    }

    private struct Entry {
        let stamp: Stamp
        let file: FileSymbols
    }

    /// One walk of the folders, and when it was made.
    private struct Walk {
        let folders: [String]
        let found: [ConfigFolderSearch.Found]
        let at: ContinuousClock.Instant
    }

    let limits: Limits
    private let cache = Mutex<[String: Entry]>([:])
    private let lastWalk = Mutex<Walk?>(nil)
    private let parses = Atomic<Int>(0)

    /// An index with nothing cached.
    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// How many files have been parsed so far (tests check that the cache works).
    var parseCount: Int { parses.load(ordering: .relaxed) }

    /// The symbols of every config under `folders` except those at `excluded` paths (the
    /// open documents, whose text the client owns), folder by folder, each sorted by path.
    func files(in folders: [String], excluding excluded: Set<String>) -> [FileSymbols] {
        var budget = limits.totalBytes
        var result: [FileSymbols] = []
        var seen: Set<String> = []
        for candidate in candidates(in: folders) {
            if Task.isCancelled { break }
            seen.insert(candidate.path)
            guard !excluded.contains(candidate.path), let stamp = Self.stamp(candidate.path) else { continue }
            if let cached = cache.withLock({ $0[candidate.path] }), cached.stamp == stamp {
                if !cached.file.symbols.isEmpty { result.append(cached.file) }
                continue
            }
            guard stamp.size <= min(limits.fileBytes, budget) else { continue }
            guard let file = read(candidate, limit: min(limits.fileBytes, budget)) else { continue }
            budget -= stamp.size
            cache.withLock { $0[candidate.path] = Entry(stamp: stamp, file: file) }
            if !file.symbols.isEmpty { result.append(file) }
        }
        // Files no longer found (deleted, or outside the folders now) are let go.
        cache.withLock { entries in entries = entries.filter { seen.contains($0.key) } }
        return result
    }

    /// The configs under `folders`: the last walk's when it is recent and of the same
    /// folders, else a new walk.
    private func candidates(in folders: [String]) -> [ConfigFolderSearch.Found] {
        let now = ContinuousClock.now
        if let walk = lastWalk.withLock({ $0 }), walk.folders == folders, now - walk.at < limits.walkReuse {
            return walk.found
        }
        var search = ConfigFolderSearch(limits: limits.search)
        for folder in folders { search.searchTree(folder) }
        lastWalk.withLock { $0 = Walk(folders: folders, found: search.found, at: now) }
        return search.found
    }

    /// Parses one config; nil when it cannot be read as a regular file within `limit`.
    private func read(_ candidate: ConfigFolderSearch.Found, limit: Int) -> FileSymbols? {
        guard case .success(let bytes) = WorkspaceFile.read(candidate.path, limit: limit, links: .refuse) else {
            return nil
        }
        parses.add(1, ordering: .relaxed)
        let document = MeshDocument.analyze(SourceText(bytes: bytes), path: candidate.path)
        let symbols =
            candidate.bySchema && !ConfigFolderSearch.declaresMeshSchema(document.tree)
            ? [] : WorkspaceSymbol.symbols(tree: document.tree, config: document.config)
        return FileSymbols(path: candidate.path, symbols: symbols, lineIndex: document.source.lineIndex)
    }

    /// The modification time and size of the regular file at `path`, without following a
    /// symbolic link; nil for anything else.
    private static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
        #else
            let modified = info.st_mtim
        #endif
        return Stamp(seconds: Int(modified.tv_sec), nanoseconds: Int(modified.tv_nsec), size: Int(info.st_size))
    }
}
