import Foundation
import Testing

@testable import MeshRegistry

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running `Tests/e2e/fake_cloudflare_kv.py`: the Workers KV REST API in memory on
/// 127.0.0.1, with fault injection through `POST /__control`.
final class FakeCloudflareServer: @unchecked Sendable {
    // @unchecked: `process` and `input` are only touched by `stop()`, which runs once.

    /// A token distinctive enough that finding it anywhere in output is a real leak.
    static let token = "cfut_SECRET-7d3c9a41e2b84f06a9d1c55e0b7f3a28"
    static let account = "0123456789abcdef0123456789abcdef"
    static let namespace = "fedcba9876543210fedcba9876543210"

    /// The fake, found from this file: Tests/MeshRegistryTests/Support -> Tests/e2e.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("e2e").appendingPathComponent("fake_cloudflare_kv.py")

    /// `python3` on PATH, or nil; tests that need the fake are disabled without it.
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static let isAvailable = python != nil && FileManager.default.fileExists(atPath: script.path)
    static let unavailableReason: Comment =
        "python3 is not on PATH (or Tests/e2e/fake_cloudflare_kv.py is missing): the Cloudflare fake cannot run"

    let port: Int
    private let process: Process
    private let input: Pipe

    var baseURL: String { "http://127.0.0.1:\(port)/client/v4" }

    private init(port: Int, process: Process, input: Pipe) {
        self.port = port
        self.process = process
        self.input = input
    }

    /// Starts the fake and waits (at most 15 s) for it to print its port.
    static func start(pageSize: Int = 1000) async throws -> FakeCloudflareServer {
        guard let python else { throw FakeServerError("python3 not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script.path, "--port", "0", "--lifetime", "120", "--watch-stdin",
            "--token", token, "--account", account, "--namespace", namespace, "--page-size", String(pageSize),
        ]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input // closed by stop() or by our death: the fake then exits
        try process.run()
        let handle = output.fileHandleForReading
        let line = try? await CloudflareDeadline.run(within: .seconds(15)) { await readLine(handle) }
        guard let line, let port = Int(line.trimmingCharacters(in: .whitespaces)), port > 0 else {
            process.terminate()
            process.waitUntilExit()
            throw FakeServerError("the fake Cloudflare server did not report a port (got \(line ?? "nothing"))")
        }
        return FakeCloudflareServer(port: port, process: process, input: input)
    }

    /// Stops the fake and waits for it to exit.
    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// A store pointed at this fake.
    func store(token: String = FakeCloudflareServer.token, timeout: Duration = .seconds(5), maxRetries: Int = 2)
        -> CloudflareKVStore
    {
        CloudflareKVStore(
            accountId: Self.account, namespaceId: Self.namespace, token: token,
            baseURL: baseURL, timeout: timeout, maxRetries: maxRetries
        )
    }

    /// Sends a control command, e.g. `["mode": "429", "count": 2, "retryAfter": 1]`.
    func control(_ command: [String: any Sendable]) async throws {
        var request = URLRequest(url: try url("/__control"))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: command)
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw FakeServerError("control command refused")
        }
    }

    /// The fake's counters: `requests`, `byRoute`, `faultsServed`, `lastPut`, `keys`.
    func stats() async throws -> FakeStats {
        let (data, _) = try await URLSession.shared.data(for: URLRequest(url: try url("/__stats")))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FakeServerError("stats are not a JSON object")
        }
        let routes = (object["byRoute"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue }
        let lastPut = object["lastPut"] as? [String: Any]
        return FakeStats(
            requests: (object["requests"] as? NSNumber)?.intValue ?? -1,
            byRoute: routes,
            faultsServed: (object["faultsServed"] as? NSNumber)?.intValue ?? -1,
            lastPutContentType: lastPut?["contentType"] as? String,
            lastPutParts: lastPut?["parts"] as? [String] ?? [],
            lastPutTTL: lastPut?["expirationTtl"] as? String
        )
    }

    private func url(_ path: String) throws -> URL {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw FakeServerError("bad URL") }
        return url
    }

    /// One line from `handle`, read on a thread of its own because the read blocks.
    private static func readLine(_ handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.readData(ofLength: 1)
                    guard let byte = chunk.first, byte != 10 else { break }
                    bytes.append(byte)
                }
                continuation.resume(returning: bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}

/// What `GET /__stats` reports.
struct FakeStats: Sendable {
    var requests: Int
    var byRoute: [String: Int]
    var faultsServed: Int
    var lastPutContentType: String?
    var lastPutParts: [String]
    var lastPutTTL: String?
}

struct FakeServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a fresh fake and stops the fake afterwards, also when `body` throws.
func withFakeCloudflare(pageSize: Int = 1000, _ body: (FakeCloudflareServer) async throws -> Void) async throws {
    let server = try await FakeCloudflareServer.start(pageSize: pageSize)
    defer { server.stop() }
    try await body(server)
}

/// A loopback port that refuses connections: a socket bound to it but not listening holds
/// the port (nobody else gets it) and makes the kernel answer SYNs with a reset.
final class RefusingPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw FakeServerError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw FakeServerError("bind() failed")
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}

/// Seconds elapsed while running `body`, with its result.
func cloudflareTimed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try await body()
    return (result, CloudflareTransport.seconds(clock.now - start))
}

/// The error `body` throws, as a RegistryError; records an issue when it throws something
/// else or nothing.
func cloudflareError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RegistryError? {
    do {
        try await body()
        Issue.record("expected a RegistryError, got success", sourceLocation: sourceLocation)
    } catch let error as RegistryError {
        return error
    } catch {
        Issue.record("expected a RegistryError, got \(type(of: error))", sourceLocation: sourceLocation)
    }
    return nil
}
