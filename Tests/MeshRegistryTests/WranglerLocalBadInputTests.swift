import Foundation
import GRDB
import Testing

@testable import MeshRegistry

/// Damaged stores and bad arguments: a clear ``RegistryError``, no crash, nothing else touched.
@Suite("wrangler-local KV store: bad input")
struct WranglerLocalBadInputTests {
    /// The error `body` throws, which must be a ``RegistryError``.
    private func registryError(_ body: () async throws -> Void) async -> RegistryError? {
        do {
            try await body()
            return nil
        } catch let error as RegistryError {
            return error
        } catch {
            Issue.record("not a RegistryError: \(error)")
            return nil
        }
    }

    private func isCorrupt(_ error: RegistryError?) -> Bool {
        if case .corrupt = error { return true }
        return false
    }

    private func isUnreachable(_ error: RegistryError?) -> Bool {
        if case .unreachable = error { return true }
        return false
    }

    @Test("a file that is not SQLite: every call says so, with the path, and changes nothing")
    func notSQLite() async throws {
        try await withWranglerLocalDirectory { root in
            // A healthy namespace next to the broken one must stay as it is.
            let healthy = try WranglerLocalKVStore(root: root, namespaceId: "healthy")
            try await healthy.put("keep", value: [9], metadata: nil, expirationTtl: nil)
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "broken")
            try FileManager.default.createDirectory(atPath: root + "/broken/blobs", withIntermediateDirectories: true)
            let garbage = Data(String(repeating: "this is not a database\n", count: 400).utf8)
            _ = FileManager.default.createFile(atPath: kv.databasePath, contents: garbage)
            let before = try WranglerLocalSnapshot.take(root: root, databasePath: healthy.databasePath)

            let errors: [RegistryError?] = [
                await registryError { _ = try await kv.get("a") },
                await registryError { _ = try await kv.getWithMetadata("a") },
                await registryError { _ = try await kv.list(prefix: nil, cursor: nil, limit: nil) },
                await registryError { try await kv.put("a", value: [1], metadata: nil, expirationTtl: nil) },
                await registryError { try await kv.delete("a") },
            ]
            for error in errors {
                #expect(isCorrupt(error))
                #expect(
                    error?.description.contains("\(kv.databasePath) is not a SQLite database") == true,
                    "\(String(describing: error))")
            }
            #expect(FileManager.default.contents(atPath: kv.databasePath) == garbage)
            #expect(wranglerLocalFiles(in: root + "/broken/blobs").isEmpty)
            #expect(try WranglerLocalSnapshot.take(root: root, databasePath: healthy.databasePath) == before)
            #expect(try await healthy.get("keep") == [9])
        }
    }

    @Test("a truncated database is an error, not a crash")
    func truncated() async throws {
        try await withWranglerLocalDirectory { root in
            let writer = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            for index in 0..<300 {
                try await writer.put(
                    "key:\(index)", value: [], metadata: "\"" + String(repeating: "m", count: 500) + "\"",
                    expirationTtl: nil)
            }
            let queue = try DatabaseQueue(path: writer.databasePath)
            try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
            let handle = try #require(FileHandle(forUpdatingAtPath: writer.databasePath))
            try handle.truncate(atOffset: 6000)
            try handle.close()
            let reader = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            let error = await registryError { _ = try await reader.listAll(prefix: "key:") }
            #expect(isCorrupt(error) || isUnreachable(error), "\(String(describing: error))")
            #expect(error?.description.contains(reader.databasePath) == true)
        }
    }

    @Test("a missing blob names the key and the blob; other keys still read; nothing changes")
    func missingBlob() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            for key in ["a", "b", "c"] {
                try await kv.put(key, value: Array(key.utf8), metadata: "{}", expirationTtl: nil)
            }
            let queue = try DatabaseQueue(path: kv.databasePath)
            let blobId = try #require(
                try await queue.read { try String.fetchOne($0, sql: "SELECT blob_id FROM _mf_entries WHERE key = 'b'") }
            )
            try FileManager.default.removeItem(atPath: root + "/ns/blobs/" + blobId)
            let before = try WranglerLocalSnapshot.take(root: root, databasePath: kv.databasePath)

            let error = await registryError { _ = try await kv.get("b") }
            #expect(isCorrupt(error))
            #expect(
                error?.description.contains("key 'b'") == true && error?.description.contains(blobId) == true,
                "\(String(describing: error))")
            #expect(try await kv.get("a") == Array("a".utf8))
            #expect(try await kv.get("c") == Array("c".utf8))
            #expect(try await kv.listAll(prefix: nil).map(\.name) == ["a", "b", "c"])
            #expect(try WranglerLocalSnapshot.take(root: root, databasePath: kv.databasePath) == before)
            // Writing the key again repairs it.
            try await kv.put("b", value: [2], metadata: nil, expirationTtl: nil)
            #expect(try await kv.get("b") == [2])
        }
    }

    @Test("rows written by someone else with strange columns are errors, never file access outside the blobs")
    func hostileRows() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            try await kv.put("fine", value: [1], metadata: nil, expirationTtl: nil)
            let sentinel = root + "/sentinel"
            _ = FileManager.default.createFile(atPath: sentinel, contents: Data("keep me".utf8))
            let queue = try DatabaseQueue(path: kv.databasePath)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO _mf_entries VALUES ('escape', '../../sentinel', NULL, NULL)")
                try db.execute(sql: "INSERT INTO _mf_entries VALUES ('number', 42, NULL, NULL)")
                try db.execute(sql: "INSERT INTO _mf_entries VALUES ('when', 'abc', 'tomorrow', NULL)")
                try db.execute(sql: "INSERT INTO _mf_entries VALUES ('meta', 'abc', NULL, x'00ff')")
            }
            for key in ["escape", "number", "when", "meta"] {
                let error = await registryError { _ = try await kv.get(key) }
                #expect(isCorrupt(error), "\(key): \(String(describing: error))")
                #expect(error?.description.contains("'\(key)'") == true)
            }
            #expect(isCorrupt(await registryError { _ = try await kv.listAll(prefix: "w") }))
            #expect(try await kv.list(prefix: "fine", cursor: nil, limit: nil).keys.map(\.name) == ["fine"])
            // Deleting the hostile row removes the row but never the file it names.
            try await kv.delete("escape")
            #expect(FileManager.default.contents(atPath: sentinel) == Data("keep me".utf8))
            #expect(try await kv.get("fine") == [1])
        }
    }

    @Test("an unwritable root: put fails clearly, reads answer absent, nothing is created")
    func unwritableRoot() async throws {
        try await withWranglerLocalDirectory { directory in
            // A regular file where the root should be fails even for root users.
            let root = directory + "/kv"
            _ = FileManager.default.createFile(atPath: root, contents: Data("x".utf8))
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            let error = await registryError { try await kv.put("a", value: [1], metadata: nil, expirationTtl: nil) }
            #expect(isUnreachable(error), "\(String(describing: error))")
            #expect(error?.description.contains(root) == true)
            #expect(try await kv.get("a") == nil)
            #expect(wranglerLocalFiles(in: directory) == ["kv"])
            #expect(FileManager.default.contents(atPath: root) == Data("x".utf8))
        }
    }

    @Test("an unwritable blob directory: put fails, the row is not written, no temporary file is left")
    func unwritableBlobs() async throws {
        try await withWranglerLocalDirectory { root in
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            try await kv.put("old", value: [1], metadata: nil, expirationTtl: nil)
            let blobs = root + "/ns/blobs"
            let kept = wranglerLocalFiles(in: blobs)
            try FileManager.default.moveItem(atPath: blobs, toPath: root + "/ns/saved")
            _ = FileManager.default.createFile(atPath: blobs, contents: Data())
            let error = await registryError { try await kv.put("new", value: [2], metadata: nil, expirationTtl: nil) }
            #expect(isUnreachable(error), "\(String(describing: error))")
            #expect(error?.description.contains(blobs) == true)
            try FileManager.default.removeItem(atPath: blobs)
            try FileManager.default.moveItem(atPath: root + "/ns/saved", toPath: blobs)
            #expect(try await kv.get("new") == nil)
            #expect(try await kv.get("old") == [1])
            #expect(wranglerLocalFiles(in: blobs) == kept)
        }
    }

    @Test(
        "a read-only directory (skipped when running as root, who may write anyway)",
        .enabled(if: getuid() != 0, "running as root: permission bits do not stop root"))
    func readOnlyDirectory() async throws {
        try await withWranglerLocalDirectory { root in
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: root)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: root) }
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            let error = await registryError { try await kv.put("a", value: [1], metadata: nil, expirationTtl: nil) }
            #expect(isUnreachable(error), "\(String(describing: error))")
        }
    }

    @Test("arguments outside the KV rules are refused before anything is written")
    func invalidArguments() async throws {
        try await withWranglerLocalDirectory { root in
            for namespace in ["", ".", "..", "a/b", "../x"] {
                #expect(throws: RegistryError.self) { try WranglerLocalKVStore(root: root, namespaceId: namespace) }
            }
            #expect(throws: RegistryError.self) { try WranglerLocalKVStore(root: "", namespaceId: "ns") }
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "ns")
            let refused: [RegistryError?] = [
                await registryError { try await kv.put("", value: [], metadata: nil, expirationTtl: nil) },
                await registryError {
                    try await kv.put(String(repeating: "k", count: 513), value: [], metadata: nil, expirationTtl: nil)
                },
                await registryError { try await kv.put("k", value: [], metadata: "not json", expirationTtl: nil) },
                await registryError {
                    try await kv.put(
                        "k", value: [], metadata: "{" + String(repeating: " ", count: 1100) + "}", expirationTtl: nil)
                },
                await registryError { try await kv.put("k", value: [], metadata: nil, expirationTtl: 59) },
                await registryError {
                    try await kv.put(
                        "k", value: [UInt8](repeating: 0, count: KVLimits.maximumValueBytes + 1), metadata: nil,
                        expirationTtl: nil)
                },
                await registryError { try await kv.put("k", value: [], metadata: nil, expirationTtl: Int.max) },
                await registryError { _ = try await kv.list(prefix: nil, cursor: "!!not base64!!", limit: nil) },
            ]
            for error in refused {
                guard case .invalidArgument = error else {
                    Issue.record("expected invalidArgument, got \(String(describing: error))")
                    continue
                }
            }
            #expect(wranglerLocalFiles(in: root).isEmpty)
        }
    }
}
