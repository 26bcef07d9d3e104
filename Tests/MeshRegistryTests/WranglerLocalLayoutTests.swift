import Foundation
import GRDB
import Testing

@testable import MeshRegistry

/// The exact on-disk layout of docs/guide/registry.md ("wrangler-local").
@Suite("wrangler-local KV store: on-disk layout")
struct WranglerLocalLayoutTests {
    @Test("file names: the HMAC-named database and <namespace>/blobs/<80 hex>")
    func namesOnDisk() async throws {
        try await withWranglerLocalDirectory { root in
            let clock = WranglerLocalClock(0x0000_019A_C6F1_2345)
            let kv = try WranglerLocalKVStore(root: root + "/", namespaceId: "TEST_NAMESPACE", now: clock.now)
            #expect(
                kv.databasePath == root
                    + "/miniflare-KVNamespaceObject/"
                    + "36463ddcd0a4ca90ece08f9ee493d8fd95653bfebbcd65709818515ae3ccd8d1.sqlite"
            )
            #expect(kv.displayName == "wrangler-local (\(root))")
            try await kv.put("a", value: [1], metadata: nil, expirationTtl: nil)
            try await kv.put("b", value: [2], metadata: nil, expirationTtl: nil)
            #expect(wranglerLocalFiles(in: root) == ["TEST_NAMESPACE", "miniflare-KVNamespaceObject"])
            #expect(wranglerLocalFiles(in: root + "/TEST_NAMESPACE") == ["blobs"])
            let blobs = wranglerLocalFiles(in: root + "/TEST_NAMESPACE/blobs")
            #expect(blobs.count == 2)
            for blob in blobs {
                #expect(blob.count == 80)
                #expect(blob.allSatisfy { $0.isHexDigit && !$0.isUppercase })
                // The last 8 bytes are the creation time in ms, big-endian.
                #expect(blob.suffix(16) == "0000019ac6f12345")
            }
            // The first 32 bytes are random.
            #expect(Set(blobs.map { $0.prefix(64) }).count == 2)
        }
    }

    @Test("the schema is exactly the spec's, and the database is in WAL mode")
    func schema() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            try await kv.put("a", value: [1], metadata: nil, expirationTtl: nil)
            let queue = try DatabaseQueue(path: kv.databasePath)
            let (objects, journalMode) = try await queue.read { db in
                (
                    try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
                        .map { [$0["type"], $0["name"], $0["tbl_name"], $0["sql"]] as [String?] },
                    try String.fetchOne(db, sql: "PRAGMA journal_mode")
                )
            }
            #expect(
                objects == [
                    [
                        "table", "_mf_entries", "_mf_entries",
                        "CREATE TABLE _mf_entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, expiration INTEGER, "
                            + "metadata TEXT)",
                    ],
                    [
                        "index", "_mf_entries_expiration_idx", "_mf_entries",
                        "CREATE INDEX _mf_entries_expiration_idx ON _mf_entries(expiration)",
                    ],
                    ["index", "sqlite_autoindex__mf_entries_1", "_mf_entries", nil],
                ])
            #expect(journalMode == "wal")
        }
    }

    @Test("rows hold expiration in epoch milliseconds as INTEGER and metadata as TEXT")
    func rows() async throws {
        try await withWranglerLocalDirectory { root in
            let clock = WranglerLocalClock(1_764_374_400_500)
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns", now: clock.now)
            try await kv.put("ttl", value: [1], metadata: #"{"v": 1}"#, expirationTtl: 3600)
            try await kv.put("plain", value: [2], metadata: nil, expirationTtl: nil)
            let queue = try DatabaseQueue(path: kv.databasePath)
            // Every column as SQLite reports it, with its storage class.
            let rows: [[String]] = try await queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, blob_id, quote(expiration), typeof(expiration), quote(metadata), typeof(metadata)
                        FROM _mf_entries ORDER BY key
                        """
                ).map { row in
                    row.databaseValues.map { value in
                        if case .string(let text) = value.storage { text } else { "not text: \(value)" }
                    }
                }
            }
            #expect(rows.count == 2)
            let plain: [String] = rows[0]
            let ttl: [String] = rows[1]
            #expect(plain[0] == "plain" && Array(plain[2...]) == ["NULL", "null", "NULL", "null"])
            #expect(ttl[0] == "ttl" && ttl[3] == "integer" && ttl[5] == "text")
            #expect(ttl[2] == String(1_764_374_400_500 + 3_600_000))
            #expect(ttl[4] == #"'{"v": 1}'"#)
            let blobId = ttl[1]
            #expect(FileManager.default.contents(atPath: root + "/ns/blobs/" + blobId) == Data([1]))
        }
    }

    @Test("reads of a namespace that does not exist create nothing")
    func readsCreateNothing() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try WranglerLocalKVStore(root: root + "/v3/kv", namespaceId: "ns")
            #expect(try await kv.get("a") == nil)
            #expect(try await kv.getWithMetadata("a") == nil)
            #expect(try await kv.list(prefix: nil, cursor: nil, limit: nil) == KVListPage(keys: [], cursor: nil))
            try await kv.delete("a")
            #expect(wranglerLocalFiles(in: root).isEmpty)
        }
    }

    @Test("a database Miniflare created without the table reads as empty, and reads do not add it")
    func databaseWithoutTable() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            try FileManager.default.createDirectory(
                atPath: root + "/miniflare-KVNamespaceObject", withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: kv.databasePath)
            try await queue.write {
                try $0.execute(sql: "CREATE TABLE _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB)")
            }
            #expect(try await kv.get("a") == nil)
            #expect(try await kv.list(prefix: "x", cursor: nil, limit: 3).keys.isEmpty)
            try await kv.delete("a")
            let tables = try await queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master") }
            #expect(tables == ["_cf_METADATA"])
            // The first write adds the schema next to what was there.
            try await kv.put("a", value: [7], metadata: nil, expirationTtl: nil)
            #expect(try await kv.get("a") == [7])
        }
    }
}
