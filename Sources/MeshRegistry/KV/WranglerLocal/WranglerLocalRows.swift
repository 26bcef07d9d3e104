import Foundation
import GRDB

/// The SQL of the `_mf_entries` table and the decoding of its rows.
///
/// Rows may have been written by Miniflare or anyone else, so columns are decoded from
/// their storage class by hand: GRDB's typed subscripts trap on an unexpected type, and a
/// strange row must be an error message, never a crash.
enum WranglerLocalRows {
    /// The schema of docs/guide/registry.md, verbatim.
    static let schema = """
        CREATE TABLE IF NOT EXISTS _mf_entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, expiration INTEGER, metadata TEXT);
        CREATE INDEX IF NOT EXISTS _mf_entries_expiration_idx ON _mf_entries(expiration);
        """

    /// One live row.
    struct Entry: Sendable {
        var key: String
        var blobId: String
        /// Epoch milliseconds.
        var expiration: Int64?
        var metadata: String?
    }

    /// The live (not expired) row of `key`, if any.
    static func fetchLive(_ db: Database, key: String, nowMs: Int64) throws -> Entry? {
        let row = try Row.fetchOne(
            db,
            sql:
                "SELECT key, blob_id, expiration, metadata FROM _mf_entries WHERE key = ? AND (expiration IS NULL OR "
                + "expiration > ?)",
            arguments: [key, nowMs]
        )
        return try row.map(decode)
    }

    /// One page of live rows in key order: those after `after`, starting with `prefix`.
    static func fetchPage(_ db: Database, prefix: String?, after: String?, nowMs: Int64, limit: Int) throws -> [Entry] {
        var conditions = ["(expiration IS NULL OR expiration > ?)"]
        var arguments: StatementArguments = [nowMs]
        if let prefix, !prefix.isEmpty {
            // A range instead of LIKE: LIKE is case-insensitive for ASCII and treats % and _
            // as wildcards. Every key starting with `prefix` sorts (bytewise, SQLite's BINARY
            // collation) at or after `prefix` and before `prefix || 0xFF`, because 0xFF never
            // occurs in UTF-8; the range also lets SQLite walk the primary-key index.
            conditions.append("key >= ? AND key < CAST(? AS TEXT)")
            _ = arguments.append(contentsOf: [prefix, Data(Array(prefix.utf8) + [0xFF])])
        }
        if let after {
            conditions.append("key > ?")
            _ = arguments.append(contentsOf: [after])
        }
        _ = arguments.append(contentsOf: [limit])
        let sql =
            "SELECT key, blob_id, expiration, metadata FROM _mf_entries WHERE "
            + conditions.joined(separator: " AND ") + " ORDER BY key LIMIT ?"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(decode)
    }

    /// The `blob_id` of `key`'s row, expired or not, if there is a row.
    static func fetchBlobId(_ db: Database, key: String) throws -> String? {
        let value = try DatabaseValue.fetchOne(
            db, sql: "SELECT blob_id FROM _mf_entries WHERE key = ?", arguments: [key])
        return value.flatMap(text)
    }

    static func decode(_ row: Row) throws -> Entry {
        guard let key = text(row["key"] as DatabaseValue) else {
            throw RegistryError.corrupt("a row of _mf_entries has a key that is not text")
        }
        guard let blobId = text(row["blob_id"] as DatabaseValue) else {
            throw RegistryError.corrupt("the row of key '\(key)' has a blob_id that is not text")
        }
        let expiration: Int64?
        switch (row["expiration"] as DatabaseValue).storage {
        case .null: expiration = nil
        case .int64(let milliseconds): expiration = milliseconds
        case .double(let milliseconds) where milliseconds.isFinite && abs(milliseconds) < 9e18:
            // A JavaScript writer may bind a float; the whole milliseconds are what count.
            expiration = Int64(milliseconds.rounded(.down))
        default:
            throw RegistryError.corrupt(
                "the row of key '\(key)' has an expiration that is not a number of milliseconds")
        }
        let metadataValue = row["metadata"] as DatabaseValue
        guard metadataValue.isNull || text(metadataValue) != nil else {
            throw RegistryError.corrupt("the row of key '\(key)' has metadata that is not JSON text")
        }
        return Entry(key: key, blobId: blobId, expiration: expiration, metadata: text(metadataValue))
    }

    static func text(_ value: DatabaseValue) -> String? {
        if case .string(let string) = value.storage { return string }
        return nil
    }

    /// Epoch milliseconds to the epoch seconds the KV API reports, rounding down.
    static func seconds(fromMilliseconds milliseconds: Int64) -> Int64 {
        let (quotient, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
