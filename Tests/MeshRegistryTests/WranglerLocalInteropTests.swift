import Foundation
import Testing

@testable import MeshRegistry

/// Interop with an independent implementation of the layout: `Tests/e2e/miniflare_kv.py`,
/// Python's `sqlite3`, `hmac` and `hashlib` written from docs/guide/registry.md alone, standing in for
/// Miniflare. It writes and we read, we write and it reads; expired keys read absent.
@Suite(
    "wrangler-local KV store: interop with an independent implementation",
    .enabled(
        if: MiniflarePython.isAvailable, "python3 with its sqlite3 module is not on PATH; the interop tests need it"),
    .serialized
)
struct WranglerLocalInteropTests {
    /// The instant both sides agree is "now": 2025-11-29T00:00:00.000Z.
    static let now: Int64 = 1_764_374_400_000

    /// What the Python side writes, with what we must read back.
    struct Written {
        var key: String
        var value: [UInt8]
        var metadata: String?
        var expirationMs: Int64?
        var live: Bool { expirationMs.map { $0 > WranglerLocalInteropTests.now } ?? true }
    }

    static func pythonWrites() -> [Written] {
        var rng = WranglerLocalRandom(state: 42)
        let record =
            #"{"service":"user-service","endpoint":"https://users.example.workers.dev","status":"healthy","#
            + #""checkedAt":1764374400000}"#
        return [
            Written(
                key: "mesh:config", value: Array(#"{"version": 1, "services": {}}"#.utf8),
                metadata: #"{"sha256": "ab12", "deployedAt": 1764374400000}"#),
            Written(
                key: "service:user-service",
                value: Array(#"{"name": "user-service", "version": "1.2.3", "endpoints": []}"#.utf8),
                metadata: #"{"version": "1.2.3", "endpoints": 2}"#),
            Written(
                key: "health:user-service:https%3A%2F%2Fusers.example.workers.dev", value: Array(record.utf8),
                metadata: #"{"s": "healthy", "t": 1764374400000, "l": 19.0, "c": "closed"}"#,
                expirationMs: now + 180_000),
            Written(
                key: "health:user-service:soon", value: [1], metadata: #"{"s": "degraded"}"#, expirationMs: now + 1),
            Written(
                key: "health:user-service:expired", value: [2], metadata: #"{"s": "unhealthy"}"#,
                expirationMs: now - 1),
            Written(key: "health:user-service:edge", value: [3], metadata: nil, expirationMs: now),
            Written(key: "bin:all-bytes", value: (0...255).map(UInt8.init)),
            Written(key: "bin:empty", value: []),
            Written(key: "big:1mib", value: rng.bytes(1 << 20)),
            Written(key: "unicode:ключ/日本語 ✓", value: Array("ünïcödé ✓".utf8), metadata: #"{"ü": "✓"}"#),
            Written(key: "like%_\\", value: [4]),
            Written(key: "Health:case", value: [5]),
        ]
    }

    @Test("Python (as Miniflare) writes; we read keys, values, metadata and expirations exactly")
    func pythonWritesSwiftReads() async throws {
        try await withWranglerLocalDirectory { work in
            let root = work + "/state/v3/kv"
            let written = Self.pythonWrites()
            var ops = written.map {
                MiniflarePython.put($0.key, $0.value, metadata: $0.metadata, expirationMs: $0.expirationMs)
            }
            // An overwrite and a delete, so the final state is not just the first writes.
            ops.insert(MiniflarePython.put("mesh:config", [0], metadata: "{}"), at: 0)
            ops.append(MiniflarePython.put("gone", [6]))
            ops.append(["op": "delete", "key": "gone"])
            try await MiniflarePython.write(ops, root: root, namespace: "TEST_NAMESPACE", workDirectory: work)

            let clock = WranglerLocalClock(Self.now)
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "TEST_NAMESPACE", now: clock.now)
            #expect(
                FileManager.default.fileExists(atPath: kv.databasePath), "Python and Swift derive the same file name")
            var checked = 0
            for entry in written {
                let read = try await kv.getWithMetadata(entry.key)
                if entry.live {
                    let expiration = entry.expirationMs.map { $0 / 1000 }
                    #expect(
                        read == KVEntry(value: entry.value, metadata: entry.metadata, expiration: expiration),
                        "key \(entry.key)")
                } else {
                    #expect(read == nil, "expired key \(entry.key) must read absent")
                }
                checked += 1
            }
            #expect(try await kv.get("gone") == nil)
            let live = written.filter(\.live)
            let listed = try await kv.listAll(prefix: nil, pageLimit: 3)
            #expect(listed.map(\.name) == wranglerLocalSorted(live.map(\.key)))
            for key in listed {
                let entry = try #require(live.first { $0.key == key.name })
                #expect(key.metadata == entry.metadata && key.expiration == entry.expirationMs.map { $0 / 1000 })
            }
            #expect(
                try await kv.listAll(prefix: "health:").map(\.name) == [
                    "health:user-service:https%3A%2F%2Fusers.example.workers.dev", "health:user-service:soon",
                ])
            #expect(try await kv.listAll(prefix: "like%").map(\.name) == ["like%_\\"])
            // Python removed the overwritten and the deleted blob: one blob a row.
            #expect(wranglerLocalFiles(in: root + "/TEST_NAMESPACE/blobs").count == written.count)
            print(
                "interop python->swift: \(checked) keys read (\(live.count) live, \(written.count - live.count) "
                    + "expired), \(listed.count) listed"
            )
        }
    }

    @Test("we write; Python (as Miniflare) reads exactly, and expired keys read absent there too")
    func swiftWritesPythonReads() async throws {
        try await withWranglerLocalDirectory { work in
            let root = work + "/kv"
            let clock = WranglerLocalClock(Self.now + 250)
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "preview-0123abcd", now: clock.now)
            var rng = WranglerLocalRandom(state: 3)
            let cases: [(key: String, value: [UInt8], metadata: String?, ttl: Int?)] = [
                ("mesh:config", Array("{}".utf8), #"{"sha256": "44136fa3", "deployedAt": 1764374400000}"#, nil),
                (
                    "health:svc:a", Array("{\"status\": \"healthy\"}".utf8),
                    #"{"s": "healthy", "t": 1, "l": 2.5, "c": "closed"}"#, 180
                ),
                ("health:svc:short", [1, 2, 3], nil, 60),
                ("bin:all-bytes", (0...255).reversed().map(UInt8.init), nil, nil),
                ("bin:empty", [], "null", nil),
                ("big:2mib", rng.bytes(2 << 20), nil, 3600),
                ("unicode:ключ/日本語 ✓", Array("✓".utf8), #"{"ü": ["✓", 1, true, null]}"#, nil),
            ]
            for entry in cases {
                try await kv.put(entry.key, value: entry.value, metadata: entry.metadata, expirationTtl: entry.ttl)
            }
            try await kv.put("deleted", value: [0], metadata: nil, expirationTtl: nil)
            try await kv.delete("deleted")

            // 61 s later: the 60 s TTL has run out, the others have not.
            let pythonNow = Self.now + 250 + 61_000
            let dump = try await MiniflarePython.dump(
                root: root, namespace: "preview-0123abcd", nowMs: pythonNow, page: 2, workDirectory: work)
            #expect(dump.database == kv.databasePath)
            #expect(dump.rows == cases.count)
            let live = cases.filter { $0.ttl.map { $0 > 61 } ?? true }
            #expect(Set(dump.entries.keys) == Set(live.map(\.key)))
            for entry in live {
                let read = try #require(dump.entries[entry.key], "key \(entry.key)")
                #expect(read.bytes == entry.value, "key \(entry.key)")
                #expect(read.metadata == entry.metadata)
                #expect(read.expiration_ms == entry.ttl.map { Self.now + 250 + Int64($0) * 1000 })
                #expect(read.blob_id.count == 80 && read.blob_id.hasSuffix(String(format: "%016llx", Self.now + 250)))
            }
            #expect(dump.listing.map(\.name) == wranglerLocalSorted(live.map(\.key)))
            #expect(dump.listing.first { $0.name == "health:svc:a" }?.expiration == (Self.now + 250 + 180_000) / 1000)
            print(
                "interop swift->python: \(cases.count) keys written, \(dump.entries.count) read live, "
                    + "\(cases.count - live.count) expired, \(dump.listing.count) listed in pages of 2"
            )
        }
    }

    @Test("each side updates and deletes what the other wrote")
    func crossUpdates() async throws {
        try await withWranglerLocalDirectory { work in
            let root = work + "/kv"
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            for index in 0..<10 {
                try await kv.put("k:\(index)", value: [UInt8(index)], metadata: nil, expirationTtl: nil)
            }
            try await MiniflarePython.write(
                [
                    MiniflarePython.put("k:1", [101], metadata: #"{"by": "python"}"#), ["op": "delete", "key": "k:2"],
                    MiniflarePython.put("py:new", [7]),
                ],
                root: root, namespace: "ns", workDirectory: work
            )
            #expect(try await kv.getWithMetadata("k:1") == KVEntry(value: [101], metadata: #"{"by": "python"}"#))
            #expect(try await kv.get("k:2") == nil)
            #expect(try await kv.get("py:new") == [7])
            try await kv.put("py:new", value: [8], metadata: nil, expirationTtl: nil)
            try await kv.delete("k:3")
            let dump = try await MiniflarePython.dump(root: root, namespace: "ns", nowMs: Self.now, workDirectory: work)
            #expect(dump.entries["py:new"]?.bytes == [8])
            #expect(dump.entries["k:3"] == nil && dump.entries["k:1"]?.bytes == [101])
            #expect(dump.rows == 9)
            #expect(wranglerLocalFiles(in: root + "/ns/blobs").count == 9)
        }
    }

    @Test("the file name derivation agrees with Python's hmac and hashlib")
    func namesAgree() async throws {
        try await withWranglerLocalDirectory { work in
            for name in ["TEST_NAMESPACE", "0f2ac74b498b48028cb68387c421e279", "ünïcödé"] {
                let output = try await MiniflarePython.run(
                    ["name", MiniflareNamespace.kvUniqueKey, name], workDirectory: work)
                let python = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(python + ".sqlite" == MiniflareNamespace.databaseFileName(namespaceId: name))
            }
        }
    }
}

extension MiniflarePython.Dump.Entry: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.value == rhs.value && lhs.metadata == rhs.metadata && lhs.expiration_ms == rhs.expiration_ms
            && lhs.blob_id == rhs.blob_id
    }
}
