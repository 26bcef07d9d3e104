import Testing

@testable import MeshRegistry

/// The read that follows a concurrent replace: row, then blob, and the row again when the
/// blob vanished. Scripted, because the real race is too rare to hit on demand.
@Suite("wrangler-local KV store: reads racing a writer")
struct WranglerLocalReadRaceTests {
    /// Answers the scripted rows in turn; `blobs` holds the blob files that exist.
    final class Script {
        var rows: [WranglerLocalRows.Entry?]
        let blobs: [String: [UInt8]]
        var fetches = 0

        init(rows: [WranglerLocalRows.Entry?], blobs: [String: [UInt8]]) {
            self.rows = rows
            self.blobs = blobs
        }

        func read() async throws -> KVEntry? {
            try await WranglerLocalKVStore.readFollowingReplacements(
                key: "k", blobDirectory: "/blobs",
                fetch: {
                    self.fetches += 1
                    return self.rows.isEmpty ? nil : self.rows.removeFirst()
                },
                load: { self.blobs[$0] }
            )
        }
    }

    static func row(_ blobId: String, metadata: String? = nil) -> WranglerLocalRows.Entry {
        WranglerLocalRows.Entry(key: "k", blobId: blobId, expiration: 1_500, metadata: metadata)
    }

    @Test("a blob replaced between the row and the file: the new row's value is read")
    func replacedOnce() async throws {
        let script = Script(rows: [Self.row("b1"), Self.row("b2", metadata: "{}")], blobs: ["b2": [2]])
        #expect(try await script.read() == KVEntry(value: [2], metadata: "{}", expiration: 1))
        #expect(script.fetches == 2)
    }

    @Test("replaced several times in a row: followed to the value that exists")
    func replacedRepeatedly() async throws {
        let script = Script(rows: [Self.row("b1"), Self.row("b2"), Self.row("b3"), Self.row("b4")], blobs: ["b4": [4]])
        #expect(try await script.read()?.value == [4])
        #expect(script.fetches == 4)
    }

    @Test("deleted between the row and the file: absent, not an error")
    func deletedMeanwhile() async throws {
        let script = Script(rows: [Self.row("b1"), nil], blobs: [:])
        #expect(try await script.read() == nil)
    }

    @Test("the row still names the missing blob: corrupt, naming key and blob")
    func reallyMissing() async throws {
        let script = Script(rows: [Self.row("b1"), Self.row("b1")], blobs: [:])
        await #expect(throws: RegistryError.corrupt("key 'k' points to blob b1, but /blobs/b1 is missing")) {
            try await script.read()
        }
    }

    @Test("a key that never settles gives up with an error instead of looping")
    func neverSettles() async throws {
        let rows = (0..<100).map { Self.row("b\($0)") }
        let script = Script(rows: rows, blobs: [:])
        await #expect(throws: RegistryError.self) { try await script.read() }
        #expect(script.fetches == WranglerLocalKVStore.maximumBlobRetries)
    }
}
