import GRDB
import Synchronization

/// The one SQLite connection of a wrangler-local store: opened on first use, only created
/// by writers, and opened again when the file it had open was removed or replaced.
final class WranglerLocalConnection: Sendable {
    let databasePath: String
    /// `<root>/miniflare-KVNamespaceObject`, created by the first write.
    let objectDirectory: String
    private let state = Mutex<State>(State())

    private struct State {
        var queue: DatabaseQueue?
        /// The database file `queue` has open, to notice when it is removed or replaced.
        var file: WranglerLocalBlobs.FileIdentity?
        /// The connection for which WAL mode and the schema have been made sure of.
        var schemaReadyQueue: DatabaseQueue?
    }

    init(databasePath: String, objectDirectory: String) {
        self.databasePath = databasePath
        self.objectDirectory = objectDirectory
    }

    /// The open connection; with `create: false`, nil when the database does not exist.
    func open(create: Bool) throws(RegistryError) -> DatabaseQueue? {
        let path = databasePath
        return try state.withLock { (state: inout State) throws(RegistryError) -> DatabaseQueue? in
            let file = WranglerLocalBlobs.FileIdentity(path: path)
            if let queue = state.queue {
                if file != nil, file == state.file { return queue }
                // Removed or replaced (`rm -rf .wrangler/state`, then a new `wrangler dev`):
                // a connection to the old file would read and write data nobody else sees.
                state = State()
            }
            if create {
                try WranglerLocalBlobs.createDirectories(objectDirectory)
            } else if file == nil {
                return nil
            }
            var configuration = Configuration()
            configuration.label = "wrangler-local"
            configuration.busyMode = .timeout(WranglerLocalKVStore.busyTimeout)
            // NORMAL is safe from corruption in WAL mode and spares an fsync per put; it is
            // a setting of this connection only, not of the file.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            do {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                state.queue = queue
                state.file = WranglerLocalBlobs.FileIdentity(path: path)
                return queue
            } catch {
                throw WranglerLocalErrors.map(error, databasePath: path)
            }
        }
    }

    /// The connection, with WAL mode and the schema ensured once per process.
    func openForWriting() async throws -> DatabaseQueue {
        guard let queue = try open(create: true) else {
            throw RegistryError.unreachable("cannot open \(databasePath)")
        }
        if state.withLock({ $0.schemaReadyQueue === queue }) { return queue }
        do {
            try await WranglerLocalBusyRetry.run {
                try await queue.writeWithoutTransaction { db in
                    // Changing the journal mode is a write, so only writers do it, and only
                    // when needed: Miniflare's own databases are already in WAL mode.
                    if try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal" {
                        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                    }
                    try db.inTransaction(.immediate) {
                        try db.execute(sql: WranglerLocalRows.schema)
                        return .commit
                    }
                }
            }
        } catch {
            throw WranglerLocalErrors.map(error, databasePath: databasePath)
        }
        state.withLock { state in
            if state.queue === queue { state.schemaReadyQueue = queue }
        }
        return queue
    }
}
