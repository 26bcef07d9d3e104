import GRDB

/// Turns whatever SQLite or GRDB threw into a ``RegistryError`` a user can act on.
///
/// Only SQLite's own message is used, never GRDB's `description`, which carries the SQL
/// arguments (keys and values) of the failing statement.
enum WranglerLocalErrors {
    static func map(_ error: any Error, databasePath: String) -> RegistryError {
        if let registryError = error as? RegistryError { return registryError }
        guard let databaseError = error as? DatabaseError else {
            return .failed("wrangler-local store \(databasePath): \(type(of: error))")
        }
        let detail = databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        switch databaseError.resultCode {
        case .SQLITE_NOTADB:
            return .corrupt(
                "\(databasePath) is not a SQLite database (\(detail)); move it aside and `wrangler dev` or a put "
                    + "will create a new one"
            )
        case .SQLITE_CORRUPT:
            return .corrupt("\(databasePath) is a damaged SQLite database (\(detail))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .timeout(
                "\(databasePath) stayed locked by another process for more than "
                    + "\(Int(WranglerLocalKVStore.busyTimeout)) s"
            )
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_AUTH, .SQLITE_NOLFS:
            return .unreachable("cannot use \(databasePath): \(detail)")
        default:
            return .failed("SQLite failed on \(databasePath): \(detail)")
        }
    }

    /// Whether `error` says the `_mf_entries` table does not exist (a database that Miniflare
    /// opened but never wrote to): the namespace is then simply empty.
    static func isMissingTable(_ error: any Error) -> Bool {
        guard let databaseError = error as? DatabaseError, databaseError.resultCode == .SQLITE_ERROR else {
            return false
        }
        return databaseError.message?.hasPrefix("no such table") ?? false
    }
}
