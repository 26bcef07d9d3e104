import Foundation
import GRDB
import WireJSON

/// The KV store that `wrangler dev` / Miniflare 3+ keep on disk (docs/guide/registry.md),
/// so a Worker under `wrangler dev` and these tools share one namespace.
///
/// Layout, under `root` (`<state>/v3/kv`):
/// - `miniflare-KVNamespaceObject/<hex>.sqlite`: table `_mf_entries`, one row a key, with
///   the `blob_id` of its value, its expiration in epoch **milliseconds** and its metadata;
/// - `<namespaceId>/blobs/<blob_id>`: the value bytes.
///
/// Reading never creates or changes anything: `get` and `list` on a namespace whose
/// database does not exist yet answer absent and empty (SQLite may still create its
/// `-wal`/`-shm` companion files while a database is open). `put` creates the directories,
/// the database (in WAL mode) and the schema. The database may be open in `wrangler dev` at
/// the same time: every statement waits up to ``busyTimeout`` for a lock, write
/// transactions are short and `IMMEDIATE`, and no lock is held while blob files are written
/// or removed. When the database file is removed or replaced while a store is open, the next
/// call uses the file now at the path.
public final class WranglerLocalKVStore: KVStore {
    /// How long a statement waits for another process's lock before failing, in seconds.
    public static let busyTimeout: TimeInterval = 5

    /// How many times a read follows a key whose blob vanished because a concurrent writer
    /// replaced it, before giving up.
    static let maximumBlobRetries = 64

    /// The KV root, `<state>/v3/kv`.
    public let root: String
    /// The namespace id used locally (`preview_id ?? id ?? binding`).
    public let namespaceId: String
    /// `<root>/miniflare-KVNamespaceObject/<hex>.sqlite`.
    public let databasePath: String
    /// The folder the user pointed at (the wrangler config's folder, or `--persist-to`):
    /// no symbolic link below it is followed (docs/security.md).
    public let trustedBase: String

    let blobs: WranglerLocalBlobs
    private let now: @Sendable () -> Int64
    let connection: WranglerLocalConnection

    /// Opens the namespace `namespaceId` under `root` (`<state>/v3/kv`) without touching the
    /// disk; files are created by the first `put`.
    ///
    /// - Parameter now: The clock in epoch **milliseconds**, injectable so tests can expire keys.
    /// - Parameter trustedBase: The folder the user chose, at or above `root`; every path
    ///   below it that the store opens is checked to hold no symbolic link. Nil means `root`.
    /// - Throws: ``RegistryError/invalidArgument(_:)`` when `root` is empty or `namespaceId`
    ///   cannot be a directory name.
    public init(
        root: String,
        namespaceId: String,
        trustedBase: String? = nil,
        now: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    ) throws {
        guard !root.isEmpty else { throw RegistryError.invalidArgument("the wrangler-local KV root cannot be empty") }
        // The namespace id becomes a directory name; refuse anything that would escape it.
        guard !namespaceId.isEmpty, namespaceId != ".", namespaceId != "..",
            !namespaceId.contains("/"), !namespaceId.contains("\0")
        else {
            throw RegistryError.invalidArgument("'\(namespaceId)' cannot be used as a local KV namespace id")
        }
        let trimmedRoot = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.root = trimmedRoot
        self.trustedBase = trustedBase ?? trimmedRoot
        self.namespaceId = namespaceId
        self.databasePath =
            trimmedRoot + "/" + MiniflareNamespace.objectDirectoryName + "/"
            + MiniflareNamespace.databaseFileName(namespaceId: namespaceId)
        self.blobs = WranglerLocalBlobs(directory: trimmedRoot + "/" + namespaceId + "/blobs")
        self.now = now
        self.connection = WranglerLocalConnection(
            databasePath: databasePath,
            objectDirectory: trimmedRoot + "/" + MiniflareNamespace.objectDirectoryName
        )
    }

    /// `wrangler-local (<root>)`.
    public var displayName: String { "wrangler-local (\(root))" }

    public func get(_ key: String) async throws -> [UInt8]? {
        try await getWithMetadata(key)?.value
    }

    /// Refuses to go on when anything the store would open lies behind a symbolic link or is
    /// not what it should be: a `.wrangler/state` comes with the repository, and a link
    /// there would send reads, writes and deletes anywhere (docs/security.md).
    func checkContainment() throws(RegistryError) {
        let paths = [
            connection.objectDirectory, databasePath, databasePath + "-wal", databasePath + "-shm",
            blobs.directory,
        ]
        for path in paths {
            if let failure = WorkspaceFile.linkFreeFailure(path, below: trustedBase) {
                throw .corrupt("the wrangler-local store is not safe to open: \(failure.message)")
            }
        }
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVLimits.validate(key: key)
        try checkContainment()
        guard let queue = try connection.open(create: false) else { return nil }
        return try await Self.readFollowingReplacements(
            key: key,
            blobDirectory: blobs.directory,
            fetch: { try await self.readLive(key, queue: queue) },
            load: { try self.blobs.load(blobId: $0, key: key) }
        )
    }

    /// Reads the row of `key`, then its blob; when the blob has vanished, reads the row again.
    ///
    /// A writer replaces the row before removing the old blob, so a vanished blob under a
    /// row that now names another blob was a race with that writer (read again); under a row
    /// that still names it, it is damage.
    static func readFollowingReplacements(
        key: String,
        blobDirectory: String,
        fetch: () async throws -> WranglerLocalRows.Entry?,
        load: (String) throws -> [UInt8]?
    ) async throws -> KVEntry? {
        var previousBlobId: String?
        for _ in 0..<maximumBlobRetries {
            guard let entry = try await fetch() else { return nil }
            guard WranglerLocalBlobs.isSafe(blobId: entry.blobId) else {
                throw RegistryError.corrupt("key '\(key)' names blob '\(entry.blobId)', which is not a blob id")
            }
            if let bytes = try load(entry.blobId) {
                return KVEntry(
                    value: bytes,
                    metadata: entry.metadata,
                    expiration: entry.expiration.map(WranglerLocalRows.seconds(fromMilliseconds:))
                )
            }
            if entry.blobId == previousBlobId {
                throw RegistryError.corrupt(
                    "key '\(key)' points to blob \(entry.blobId), but \(blobDirectory)/\(entry.blobId) is missing")
            }
            previousBlobId = entry.blobId
        }
        throw RegistryError.failed("key '\(key)' kept changing while it was read; try again")
    }

    public func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        try KVLimits.validate(key: key)
        try KVLimits.validate(metadata: metadata)
        try KVLimits.validate(valueBytes: value.count)
        try KVLimits.validate(expirationTtl: expirationTtl)
        if let metadata, case .failure(let error) = WireJSON.parse(metadata) {
            throw RegistryError.invalidArgument("metadata is not JSON: \(error.message)")
        }
        let nowMs = now()
        let expiration = try expirationTtl.map { try Self.expiration(nowMs: nowMs, ttl: $0) }
        try checkContainment()
        let queue = try await connection.openForWriting()
        try blobs.createDirectory()
        // What was just created must be what it seems, too.
        try checkContainment()
        let blobId = WranglerLocalBlobs.newBlobId(nowMs: nowMs)
        try blobs.store(value, blobId: blobId)
        let previousBlobId: String?
        do {
            previousBlobId = try await WranglerLocalBusyRetry.run {
                try await queue.write { db in
                    let previous = try WranglerLocalRows.fetchBlobId(db, key: key)
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) "
                            + "VALUES (?, ?, ?, ?)",
                        arguments: [key, blobId, expiration, metadata]
                    )
                    return previous
                }
            }
        } catch {
            blobs.remove(blobId: blobId)
            throw WranglerLocalErrors.map(error, databasePath: databasePath)
        }
        if let previousBlobId, previousBlobId != blobId { blobs.remove(blobId: previousBlobId) }
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validate(key: key)
        try checkContainment()
        guard let queue = try connection.open(create: false) else { return }
        let removed: [DatabaseValue]
        do {
            removed = try await WranglerLocalBusyRetry.run {
                try await queue.write { db in
                    try DatabaseValue.fetchAll(
                        db, sql: "DELETE FROM _mf_entries WHERE key = ? RETURNING blob_id", arguments: [key])
                }
            }
        } catch {
            if WranglerLocalErrors.isMissingTable(error) { return }
            throw WranglerLocalErrors.map(error, databasePath: databasePath)
        }
        for blobId in removed.compactMap(WranglerLocalRows.text) { blobs.remove(blobId: blobId) }
    }

    public func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        let pageSize = min(max(1, limit ?? KVLimits.maximumListLimit), KVLimits.maximumListLimit)
        let after = try cursor.map(Self.decodeCursor)
        try checkContainment()
        guard let queue = try connection.open(create: false) else { return KVListPage(keys: [], cursor: nil) }
        let nowMs = now()
        let entries: [WranglerLocalRows.Entry]
        do {
            entries = try await WranglerLocalBusyRetry.run {
                try await queue.read { db in
                    // One more than asked tells whether another page follows.
                    try WranglerLocalRows.fetchPage(
                        db, prefix: prefix, after: after, nowMs: nowMs, limit: pageSize + 1)
                }
            }
        } catch {
            if WranglerLocalErrors.isMissingTable(error) { return KVListPage(keys: [], cursor: nil) }
            throw WranglerLocalErrors.map(error, databasePath: databasePath)
        }
        let keys = entries.prefix(pageSize).map { entry in
            KVKey(
                name: entry.key, expiration: entry.expiration.map(WranglerLocalRows.seconds(fromMilliseconds:)),
                metadata: entry.metadata)
        }
        let next = entries.count > pageSize ? keys.last.map { Self.encodeCursor(after: $0.name) } : nil
        return KVListPage(keys: Array(keys), cursor: next)
    }

    // MARK: - Reading

    private func readLive(_ key: String, queue: DatabaseQueue) async throws -> WranglerLocalRows.Entry? {
        let nowMs = now()
        do {
            return try await WranglerLocalBusyRetry.run {
                try await queue.read { db in try WranglerLocalRows.fetchLive(db, key: key, nowMs: nowMs) }
            }
        } catch {
            if WranglerLocalErrors.isMissingTable(error) { return nil }
            throw WranglerLocalErrors.map(error, databasePath: databasePath)
        }
    }

    // MARK: - Values

    static func expiration(nowMs: Int64, ttl: Int) throws -> Int64 {
        let (milliseconds, overflow) = Int64(ttl).multipliedReportingOverflow(by: 1000)
        let (expiration, overflowSum) = nowMs.addingReportingOverflow(milliseconds)
        guard !overflow, !overflowSum else {
            throw RegistryError.invalidArgument("expiration TTL \(ttl) s is too large")
        }
        return expiration
    }

    /// Cursors are the base64 of the last key returned, as Miniflare's are.
    static func encodeCursor(after key: String) -> String {
        Data(key.utf8).base64EncodedString()
    }

    static func decodeCursor(_ cursor: String) throws -> String {
        guard let data = Data(base64Encoded: cursor), let key = String(data: data, encoding: .utf8) else {
            throw RegistryError.invalidArgument("'\(cursor)' is not a cursor returned by this store")
        }
        return key
    }
}
