import Foundation
import Testing

@testable import MeshRegistry

/// Two processes on one store at once: this test process and `miniflare_kv.py stress`, each
/// putting, deleting, getting and listing thousands of times, with overlapping key spaces.
@Suite(
    "wrangler-local KV store: two processes at once",
    .enabled(
        if: MiniflarePython.isAvailable, "python3 with its sqlite3 module is not on PATH; the two-process test needs it"
    )
)
struct WranglerLocalConcurrencyTests {
    /// Operations per process; `WRANGLER_LOCAL_STRESS_OPS` raises it for a longer soak.
    static let operations = Int(ProcessInfo.processInfo.environment["WRANGLER_LOCAL_STRESS_OPS"] ?? "") ?? 4000
    static let ownKeys = 200
    static let sharedKeys = 20

    /// The report of the Python worker, under its own JSON key names.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct PythonReport: Decodable {
        var ops, puts, deletes, gets, hits, lists, listed, torn, errors, blob_races: Int
        var error_samples: [String]
        var started_ms, finished_ms: Int64
        var last: [String: String?]
    }

    /// What the Swift worker did.
    struct SwiftCounts {
        var puts = 0, deletes = 0, gets = 0, hits = 0, lists = 0, listed = 0, torn = 0
        var errors: [String] = []
        var last: [String: [UInt8]?] = [:]
        var startedMs: Int64 = 0, finishedMs: Int64 = 0
    }

    static func wallMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The same mix as `stress` in miniflare_kv.py, through `WranglerLocalKVStore`.
    static func swiftWorker(_ kv: WranglerLocalKVStore, operations: Int) async -> SwiftCounts {
        var rng = WranglerLocalRandom(state: 2024)
        var counts = SwiftCounts()
        counts.startedMs = wallMs()
        for seq in 0..<operations {
            let roll = Double.random(in: 0..<1, using: &rng)
            do {
                if roll < 0.65 {
                    let key =
                        roll < 0.55
                        ? "c:swift:\(Int.random(in: 0..<ownKeys, using: &rng))"
                        : "c:shared:\(Int.random(in: 0..<sharedKeys, using: &rng))"
                    let value = ChecksummedValue.make(writer: "swift", key: key, seq: seq, using: &rng)
                    try await kv.put(
                        key, value: value, metadata: ChecksummedValue.metadata(writer: "swift", seq: seq, value: value),
                        expirationTtl: nil)
                    counts.last[key] = .some(value)
                    counts.puts += 1
                } else if roll < 0.70 {
                    let key = "c:swift:\(Int.random(in: 0..<ownKeys, using: &rng))"
                    try await kv.delete(key)
                    counts.last[key] = .some(nil)
                    counts.deletes += 1
                } else if roll < 0.95 {
                    let space = ["swift", "py", "shared"][Int.random(in: 0..<3, using: &rng)]
                    let key =
                        "c:\(space):\(Int.random(in: 0..<(space == "shared" ? sharedKeys : ownKeys), using: &rng))"
                    counts.gets += 1
                    if let entry = try await kv.getWithMetadata(key) {
                        counts.hits += 1
                        let sha = String(ChecksummedValue.sha256Hex(entry.value).prefix(16))
                        if !ChecksummedValue.isIntact(entry.value, key: key)
                            || entry.metadata?.contains("\"sha\": \"\(sha)\"") != true
                        {
                            counts.torn += 1
                        }
                    }
                } else {
                    let prefix = ["c:swift:", "c:py:", "c:shared:", "c:"][Int.random(in: 0..<4, using: &rng)]
                    let page = try await kv.list(prefix: prefix, cursor: nil, limit: 100)
                    counts.lists += 1
                    counts.listed += page.keys.count
                    if page.keys.contains(where: { $0.metadata?.hasPrefix("{\"w\": ") != true }) { counts.torn += 1 }
                }
            } catch {
                counts.errors.append(String(describing: error))
            }
        }
        counts.finishedMs = wallMs()
        return counts
    }

    @Test("thousands of operations from two processes: no error, no torn read, no lost write")
    func twoProcesses() async throws {
        try await withWranglerLocalDirectory { work in
            let root = work + "/kv"
            let kv = try WranglerLocalKVStore(root: root, namespaceId: "stress")
            let ready = work + "/ready"
            let go = work + "/go"
            let reportPath = work + "/report.json"
            let python = try MiniflarePython.Running(
                arguments: [
                    "stress", root, "stress", "--ops", String(Self.operations), "--writer", "py", "--seed", "99",
                    "--keys", String(Self.ownKeys), "--shared", String(Self.sharedKeys),
                    "--ready", ready, "--go", go, "--report", reportPath,
                ],
                input: nil, workDirectory: work
            )
            // Both start together: Python has imported and opened everything when it says ready.
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: ready), Date() < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            _ = FileManager.default.createFile(atPath: go, contents: nil)
            let swift = await Self.swiftWorker(kv, operations: Self.operations)
            _ = try await python.finish()
            let report = try JSONDecoder().decode(
                PythonReport.self, from: try Data(contentsOf: URL(fileURLWithPath: reportPath)))

            #expect(swift.errors.isEmpty, "Swift errors: \(swift.errors.prefix(5))")
            #expect(report.errors == 0, "Python errors: \(report.error_samples)")
            #expect(swift.torn == 0 && report.torn == 0)
            let overlapMs = min(swift.finishedMs, report.finished_ms) - max(swift.startedMs, report.started_ms)
            #expect(overlapMs > 0, "the two processes must have run at the same time")

            // No lost write: every key holds the last value its writer wrote; a shared key
            // holds the last value of one of the two writers.
            var verified = 0
            for (key, expected) in swift.last where key.hasPrefix("c:swift:") {
                #expect(try await kv.get(key) == expected, "key \(key)")
                verified += 1
            }
            for (key, encoded) in report.last where key.hasPrefix("c:py:") {
                #expect(try await kv.get(key) == encoded.map { Array(Data(base64Encoded: $0) ?? Data()) }, "key \(key)")
                verified += 1
            }
            let sharedKeys = Set(swift.last.keys.filter { $0.hasPrefix("c:shared:") }).union(
                report.last.keys.filter { $0.hasPrefix("c:shared:") })
            for key in sharedKeys {
                let candidates = [
                    swift.last[key] ?? nil, (report.last[key] ?? nil).map { Array(Data(base64Encoded: $0) ?? Data()) },
                ].compactMap { $0 }
                let final = try await kv.get(key)
                #expect(final.map { candidates.contains($0) } == true, "key \(key)")
                verified += 1
            }
            // Every row has its blob and no blob or temporary file is left over.
            let rows = try await kv.listAll(prefix: nil).count
            let blobs = wranglerLocalFiles(in: root + "/stress/blobs")
            #expect(blobs.count == rows)
            #expect(!blobs.contains { $0.hasPrefix(".") })

            print(
                """
                concurrency: swift \(Self.operations) ops (puts \(swift.puts), deletes \(swift.deletes), gets \(swift.gets) / hits \(swift.hits), \
                lists \(swift.lists) / \(swift.listed) keys, torn \(swift.torn), errors \(swift.errors.count)) in \(swift.finishedMs - swift.startedMs) ms; \
                python \(report.ops) ops (puts \(report.puts), deletes \(report.deletes), gets \(report.gets) / hits \(report.hits), \
                lists \(report.lists) / \(report.listed) keys, torn \(report.torn), errors \(report.errors), blob races re-read \(report.blob_races)) \
                in \(report.finished_ms - report.started_ms) ms; overlap \(overlapMs) ms; \
                final: \(verified) keys verified against their last write, \(rows) rows = \(blobs.count) blobs
                """)
        }
    }
}
