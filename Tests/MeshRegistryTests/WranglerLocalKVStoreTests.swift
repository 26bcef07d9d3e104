import Foundation
import Testing

@testable import MeshRegistry

/// Round trips through `WranglerLocalKVStore` on real SQLite files.
@Suite("wrangler-local KV store: round trips")
struct WranglerLocalKVStoreTests {
    private func store(
        _ root: String, clock: WranglerLocalClock = WranglerLocalClock(), namespace: String = "TEST_NAMESPACE"
    ) throws -> WranglerLocalKVStore {
        try WranglerLocalKVStore(root: root, namespaceId: namespace, now: clock.now)
    }

    @Test("values round-trip: text, binary, empty, large, unicode keys")
    func values() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            var rng = WranglerLocalRandom(state: 7)
            let large = rng.bytes(5 << 20)
            let cases: [(String, [UInt8])] = [
                ("mesh:config", Array("{\"version\": 1}".utf8)),
                ("bin:all-bytes", (0...255).map(UInt8.init)),
                ("bin:empty", []),
                ("big:5mib", large),
                ("service:ключ/日本語 ✓", Array("ünïcödé".utf8)),
                (String(repeating: "k", count: KVLimits.maximumKeyBytes), [1, 2, 3]),
            ]
            for (key, value) in cases { try await kv.put(key, value: value, metadata: nil, expirationTtl: nil) }
            for (key, value) in cases {
                #expect(try await kv.get(key) == value, "key \(key.prefix(40))")
            }
            // A second instance (as another process would) reads the same data.
            let other = try store(root)
            #expect(try await other.get("big:5mib") == large)
            #expect(try await kv.get("absent") == nil)
        }
    }

    @Test("metadata and expiration come back with the value and in listings")
    func metadata() async throws {
        try await withWranglerLocalDirectory { root in
            let clock = WranglerLocalClock(1_764_374_400_123)
            let kv = try store(root, clock: clock)
            let summary = #"{"s": "healthy", "t": 1764374400000, "l": 19.0, "c": "closed"}"#
            try await kv.put("health:svc:a", value: Array("{}".utf8), metadata: summary, expirationTtl: 180)
            try await kv.put("health:svc:b", value: Array("{}".utf8), metadata: nil, expirationTtl: nil)
            let entry = try #require(try await kv.getWithMetadata("health:svc:a"))
            #expect(entry.metadata == summary)
            // (1_764_374_400_123 + 180_000) ms -> whole seconds, rounded down.
            #expect(entry.expiration == 1_764_374_580)
            let plain = try #require(try await kv.getWithMetadata("health:svc:b"))
            #expect(plain.metadata == nil && plain.expiration == nil)
            let listed = try await kv.list(prefix: "health:svc:", cursor: nil, limit: nil)
            #expect(
                listed.keys == [
                    KVKey(name: "health:svc:a", expiration: 1_764_374_580, metadata: summary),
                    KVKey(name: "health:svc:b", expiration: nil, metadata: nil),
                ])
            #expect(listed.cursor == nil)
        }
    }

    @Test("a TTL expires at now + ttl: present a millisecond before, absent at that instant")
    func expiry() async throws {
        try await withWranglerLocalDirectory { root in
            let clock = WranglerLocalClock(1_000_000)
            let kv = try store(root, clock: clock)
            try await kv.put("t", value: [1], metadata: nil, expirationTtl: 60)
            try await kv.put("forever", value: [2], metadata: nil, expirationTtl: nil)
            clock.set(1_000_000 + 59_999)
            #expect(try await kv.get("t") == [1])
            #expect(try await kv.list(prefix: nil, cursor: nil, limit: nil).keys.map(\.name) == ["forever", "t"])
            clock.set(1_000_000 + 60_000)
            #expect(try await kv.get("t") == nil)
            #expect(try await kv.getWithMetadata("t") == nil)
            #expect(try await kv.list(prefix: nil, cursor: nil, limit: nil).keys.map(\.name) == ["forever"])
            // Reading did not remove the expired row or its blob: reads never modify.
            #expect(wranglerLocalFiles(in: kv.blobs.directory).count == 2)
            // Writing it again revives it.
            try await kv.put("t", value: [3], metadata: nil, expirationTtl: nil)
            #expect(try await kv.get("t") == [3])
            #expect(wranglerLocalFiles(in: kv.blobs.directory).count == 2)
        }
    }

    @Test("overwrites replace the blob and deletes remove it")
    func overwriteAndDelete() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            try await kv.put("k", value: [1], metadata: "{}", expirationTtl: nil)
            let first = wranglerLocalFiles(in: kv.blobs.directory)
            try await kv.put("k", value: [2], metadata: nil, expirationTtl: nil)
            let second = wranglerLocalFiles(in: kv.blobs.directory)
            #expect(first.count == 1 && second.count == 1 && first != second)
            #expect(try await kv.getWithMetadata("k") == KVEntry(value: [2], metadata: nil, expiration: nil))
            try await kv.delete("k")
            #expect(try await kv.get("k") == nil)
            #expect(wranglerLocalFiles(in: kv.blobs.directory).isEmpty)
            try await kv.delete("k") // absent: not an error
            try await kv.delete("never-there")
        }
    }

    @Test("a store removed while open (rm -rf .wrangler/state) reads empty, then is created again")
    func removedWhileOpen() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            try await kv.put("a", value: [1], metadata: nil, expirationTtl: nil)
            #expect(try await kv.get("a") == [1])
            for name in wranglerLocalFiles(in: root) { try FileManager.default.removeItem(atPath: root + "/" + name) }
            #expect(try await kv.get("a") == nil)
            #expect(try await kv.list(prefix: nil, cursor: nil, limit: nil).keys.isEmpty)
            #expect(wranglerLocalFiles(in: root).isEmpty)
            try await kv.put("b", value: [2], metadata: nil, expirationTtl: nil)
            // A fresh instance sees the write: it went to the new file, not the removed one.
            let fresh = try store(root)
            #expect(try await fresh.get("b") == [2])
            #expect(try await fresh.get("a") == nil)
        }
    }

    @Test("list pages through keys in order with opaque cursors")
    func pagination() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            let keys = (0..<25).map { String(format: "k:%02d", $0) } + ["a", "z", "k", "k;"]
            for key in keys.shuffled() {
                try await kv.put(key, value: Array(key.utf8), metadata: nil, expirationTtl: nil)
            }
            var pages: [[String]] = []
            var cursor: String?
            repeat {
                let page = try await kv.list(prefix: "k:", cursor: cursor, limit: 10)
                pages.append(page.keys.map(\.name))
                cursor = page.cursor
            } while cursor != nil
            #expect(pages.map(\.count) == [10, 10, 5])
            #expect(pages.flatMap { $0 } == (0..<25).map { String(format: "k:%02d", $0) })
            #expect(try await kv.listAll(prefix: nil, pageLimit: 7).map(\.name) == wranglerLocalSorted(keys))
            #expect(try await kv.list(prefix: "k:1", cursor: nil, limit: nil).keys.count == 10)
            #expect(try await kv.list(prefix: "nothing", cursor: nil, limit: nil) == KVListPage(keys: [], cursor: nil))
            // A limit below 1 is one key; an empty prefix is no prefix.
            let one = try await kv.list(prefix: "", cursor: nil, limit: 0)
            #expect(one.keys.map(\.name) == ["a"] && one.cursor != nil)
        }
    }

    @Test("a page holds at most 1000 keys")
    func limitCap() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            for index in 0..<1005 { try await kv.put("n:\(index)", value: [], metadata: nil, expirationTtl: nil) }
            let page = try await kv.list(prefix: "n:", cursor: nil, limit: 5000)
            #expect(page.keys.count == 1000 && page.cursor != nil)
            let rest = try await kv.list(prefix: "n:", cursor: page.cursor, limit: 5000)
            #expect(rest.keys.count == 5 && rest.cursor == nil)
        }
    }

    @Test("prefixes match bytes exactly: no LIKE wildcards, case-sensitive, any Unicode")
    func prefixIsLiteral() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            let keys = [
                "a%b", "aXb", "A%c", "a_b", "a\\b", "ab", "ü:1", "ü:2", "üx", "health:s:1", "Health:s:2",
                "health:s\u{10FFFF}",
            ]
            for key in keys { try await kv.put(key, value: [], metadata: nil, expirationTtl: nil) }
            func names(_ prefix: String) async throws -> [String] {
                try await kv.list(prefix: prefix, cursor: nil, limit: nil).keys.map(\.name)
            }
            #expect(try await names("a%") == ["a%b"])
            #expect(try await names("a_") == ["a_b"])
            #expect(try await names("a\\") == ["a\\b"])
            #expect(try await names("a") == ["a%b", "aXb", "a\\b", "a_b", "ab"])
            #expect(try await names("ü:") == ["ü:1", "ü:2"])
            #expect(try await names("health:") == ["health:s:1", "health:s\u{10FFFF}"])
        }
    }

    @Test("concurrent tasks in one process: every key ends with one of its writes, one blob a key")
    func concurrentTasks() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try store(root)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for round in 0..<50 {
                            let key = "shared:\(round % 10)"
                            try await kv.put(
                                key, value: Array("\(task)-\(round)".utf8), metadata: nil, expirationTtl: nil)
                            _ = try await kv.get(key)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let keys = try await kv.listAll(prefix: "shared:")
            #expect(keys.count == 10)
            #expect(wranglerLocalFiles(in: kv.blobs.directory).count == 10)
            for key in keys {
                let value = String(decoding: try #require(try await kv.get(key.name)), as: UTF8.self)
                let round = Int(value.split(separator: "-").last ?? "") ?? -1
                #expect(round % 10 == Int(key.name.dropFirst("shared:".count)))
            }
        }
    }
}
