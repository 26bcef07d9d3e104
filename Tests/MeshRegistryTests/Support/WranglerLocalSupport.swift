import Crypto
import Foundation
import GRDB
import Synchronization

@testable import MeshRegistry

/// A fresh directory under the system temporary directory, removed after `body`.
func withWranglerLocalDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("wrangler-local-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A clock the test moves by hand, in epoch milliseconds.
final class WranglerLocalClock: Sendable {
    private let milliseconds: Atomic<Int64>

    init(_ start: Int64 = 1_764_374_400_000) { milliseconds = Atomic(start) }

    var value: Int64 { milliseconds.load(ordering: .relaxed) }
    func set(_ value: Int64) { milliseconds.store(value, ordering: .relaxed) }
    var now: @Sendable () -> Int64 { { self.milliseconds.load(ordering: .relaxed) } }
}

/// The files under `root` (relative path -> bytes), leaving out SQLite's own files, plus
/// every row of `_mf_entries`: what "nothing else in the store touched" compares.
struct WranglerLocalSnapshot: Equatable {
    var files: [String: [UInt8]]
    var rows: [[String]]

    static func take(root: String, databasePath: String) throws -> WranglerLocalSnapshot {
        var files: [String: [UInt8]] = [:]
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let relative as String in walker where !relative.contains(".sqlite") {
                var isDirectory: ObjCBool = false
                let path = root + "/" + relative
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files[relative] = Array(FileManager.default.contents(atPath: path) ?? Data())
                }
            }
        }
        var rows: [[String]] = []
        if FileManager.default.fileExists(atPath: databasePath), let queue = try? DatabaseQueue(path: databasePath) {
            rows =
                (try? queue.read { db in
                    try Row.fetchAll(db, sql: "SELECT key, blob_id, expiration, metadata FROM _mf_entries ORDER BY key")
                        .map { row in row.databaseValues.map(\.description) }
                }) ?? []
        }
        return WranglerLocalSnapshot(files: files, rows: rows)
    }
}

/// The file names in `directory` (none when it does not exist).
func wranglerLocalFiles(in directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}

/// Bytewise (SQLite BINARY collation) key order.
func wranglerLocalSorted(_ keys: [String]) -> [String] {
    keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
}

/// A deterministic generator so failures reproduce.
struct WranglerLocalRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension WranglerLocalRandom {
    /// `count` pseudo-random bytes, eight per step (a byte per step is slow in debug builds).
    mutating func bytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: next()) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }
}

/// Checksummed values shared with `Tests/e2e/miniflare_kv.py`: `writer|key|seq|padding#sha256hex`.
enum ChecksummedValue {
    static func make(writer: String, key: String, seq: Int, using rng: inout WranglerLocalRandom) -> [UInt8] {
        let padding = (0..<Int.random(in: 0..<3000, using: &rng)).map { _ in
            UInt8(ascii: "a") + UInt8.random(in: 0..<10, using: &rng)
        }
        let body = Array("\(writer)|\(key)|\(seq)|".utf8) + padding
        return body + [UInt8(ascii: "#")] + Array(sha256Hex(body).utf8)
    }

    static func isIntact(_ value: [UInt8], key: String) -> Bool {
        guard let hash = value.lastIndex(of: UInt8(ascii: "#")) else { return false }
        let body = Array(value[..<hash])
        guard sha256Hex(body) == String(decoding: value[(hash + 1)...], as: UTF8.self) else { return false }
        let fields = body.split(separator: UInt8(ascii: "|"), maxSplits: 3, omittingEmptySubsequences: false)
        return fields.count == 4 && String(decoding: fields[1], as: UTF8.self) == key
    }

    /// The metadata both writers attach: the first 16 hex digits of the value's SHA-256.
    static func metadata(writer: String, seq: Int, value: [UInt8]) -> String {
        "{\"w\": \"\(writer)\", \"seq\": \(seq), \"sha\": \"\(sha256Hex(value).prefix(16))\"}"
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        MiniflareNamespace.hexString(Array(SHA256.hash(data: bytes)))
    }
}

/// Runs `Tests/e2e/miniflare_kv.py`, the independent implementation of the layout.
enum MiniflarePython {
    /// `Tests/e2e/miniflare_kv.py`, found from this source file.
    static let script: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("e2e/miniflare_kv.py").path

    /// A `python3` on PATH whose `sqlite3` module works, or nil.
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/python3"
            guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: candidate)
            probe.arguments = ["-c", "import sqlite3, hmac, hashlib"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { python != nil && FileManager.default.fileExists(atPath: script) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the script with `arguments`, stdin from `input`, stdout and stderr to files in
    /// `workDirectory`; `finish()` waits and returns stdout.
    final class Running {
        let process: Process
        let stdoutPath: String
        let stderrPath: String
        let arguments: [String]

        init(arguments: [String], input: [UInt8]?, workDirectory: String) throws {
            guard let python = MiniflarePython.python else { throw Failure(description: "python3 is not available") }
            let tag = UUID().uuidString
            stdoutPath = workDirectory + "/py-\(tag).out"
            stderrPath = workDirectory + "/py-\(tag).err"
            let stdinPath = workDirectory + "/py-\(tag).in"
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            _ = FileManager.default.createFile(atPath: stdinPath, contents: Data(input ?? []))
            self.arguments = arguments
            process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [MiniflarePython.script] + arguments
            process.standardInput = FileHandle(forReadingAtPath: stdinPath)
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        /// Waits for the script (at most `timeout` seconds, then it is stopped) and returns stdout.
        func finish(timeout: Double = 300) async throws -> Data {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    throw Failure(
                        description: "miniflare_kv.py \(arguments.first ?? "") did not finish within \(Int(timeout)) s")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            let stdout = FileManager.default.contents(atPath: stdoutPath) ?? Data()
            guard process.terminationStatus == 0 else {
                let stderr = String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
                throw Failure(
                    description:
                        "miniflare_kv.py \(arguments.first ?? "") exited \(process.terminationStatus): \(stderr)")
            }
            return stdout
        }
    }

    /// Runs the script to completion and returns its stdout.
    static func run(_ arguments: [String], input: [UInt8]? = nil, workDirectory: String) async throws -> Data {
        try await Running(arguments: arguments, input: input, workDirectory: workDirectory).finish()
    }

    /// One write operation for `miniflare_kv.py write`.
    static func put(_ key: String, _ value: [UInt8], metadata: String? = nil, expirationMs: Int64? = nil) -> [String:
        Any]
    {
        var op: [String: Any] = ["op": "put", "key": key, "value": Data(value).base64EncodedString()]
        if let metadata { op["metadata"] = metadata }
        if let expirationMs { op["expiration_ms"] = expirationMs }
        return op
    }

    /// Applies `ops` with `miniflare_kv.py write`.
    static func write(_ ops: [[String: Any]], root: String, namespace: String, workDirectory: String) async throws {
        let input = try JSONSerialization.data(withJSONObject: ops)
        _ = try await run(["write", root, namespace], input: Array(input), workDirectory: workDirectory)
    }

    /// What `miniflare_kv.py dump` prints.
    struct Dump: Decodable {
        struct Entry: Decodable {
            var value: String
            var metadata: String?
            // The names of the Python tool's JSON keys.
            // swift-format-ignore: AlwaysUseLowerCamelCase
            var expiration_ms: Int64?
            // swift-format-ignore: AlwaysUseLowerCamelCase
            var blob_id: String
            var bytes: [UInt8] { Array(Data(base64Encoded: value) ?? Data()) }
        }
        struct Listed: Decodable, Equatable {
            var name: String
            var expiration: Int64?
            var metadata: String?
        }
        var database: String
        var rows: Int
        var entries: [String: Entry]
        var listing: [Listed]
    }

    static func dump(
        root: String, namespace: String, nowMs: Int64, page: Int = 1000, prefix: String = "", workDirectory: String
    ) async throws -> Dump {
        let output = try await run(
            ["dump", root, namespace, "--now-ms", String(nowMs), "--page", String(page), "--prefix", prefix],
            workDirectory: workDirectory
        )
        return try JSONDecoder().decode(Dump.self, from: output)
    }
}
