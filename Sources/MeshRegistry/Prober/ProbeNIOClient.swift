import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The prober's HTTP client, on AsyncHTTPClient: an endpoint is untrusted
/// (docs/security.md), so every exchange is bounded in time, memory and destination.
///
/// - **Time.** The health check timeout is a hard deadline for the whole exchange:
///   connect, head and body race one timer (see ``FirstAnswer``), and the loser is
///   cancelled. A server that trickles bytes or never answers holds nothing past it, and
///   one hostile endpoint never delays the others' records.
/// - **Memory.** At most ``maximumBodyBytes`` of a body are read, one chunk at a time
///   with backpressure, and thrown away: an endless body costs a few buffers, not memory
///   that grows with the stream (Foundation's URLSession on Linux buffers what arrives
///   before a cancellation takes hold, gigabytes on a fast loopback).
/// - **Redirects.** None is followed, so one endpoint cannot point the prober at another
///   host: the 3xx itself is the answer, a failure unless `expectStatus` asks for it.
public final class ProbeNIOClient: ProbeHTTPClient {
    /// How much of a body is read before the rest is dropped.
    public static let maximumBodyBytes = 64 * 1024

    private let client: HTTPClient
    private let userAgent: String

    /// A client allowing `maximumConnections` connections per host (the prober passes its
    /// concurrency, so endpoints sharing a host are not queued behind a lower default).
    public init(maximumConnections: Int = 32, userAgent: String = "diddy-mesh-health-prober") {
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, maximumConnections)
        pool.idleTimeout = .seconds(30)
        // A refused connection is the probe's answer ("connect"), not something to retry
        // until the deadline turns it into a timeout: the next round probes again.
        pool.retryConnectionEstablishment = false
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, connectionPool: pool, decompression: .disabled)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.userAgent = userAgent
    }

    deinit {
        client.shutdown { _ in }
    }

    public func get(_ url: URL, timeoutMs: Int) async -> ProbeHTTPResult {
        let timeout = max(1, timeoutMs)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: "Accept", value: "application/json, */*;q=0.5")

        let start = ContinuousClock.now
        let elapsed: @Sendable () -> Double = { Self.milliseconds(ContinuousClock.now - start) }
        let first = FirstAnswer<ProbeHTTPResult>()
        let client = client
        let exchange = Task {
            do {
                let response = try await client.execute(request, deadline: .now() + .milliseconds(Int64(timeout)))
                var read = 0
                for try await chunk in response.body {
                    read += chunk.readableBytes
                    if read >= Self.maximumBodyBytes { break }
                }
                first.settle(.response(status: Int(response.status.code), elapsedMs: elapsed()))
            } catch {
                first.settle(.failure(Self.failure(for: error, timeoutMs: timeout), elapsedMs: elapsed()))
            }
        }
        let timer = DeadlineTimer.after(.milliseconds(timeout)) {
            let message = "no answer within \(timeout) ms"
            first.settle(.failure(HealthRecord.ProbeFailure(kind: .timeout, message: message), elapsedMs: elapsed()))
        }
        first.whenSettled {
            timer.cancel()
            exchange.cancel()
        }
        return await withTaskCancellationHandler {
            await first.wait()
        } onCancel: {
            first.settle(
                .failure(HealthRecord.ProbeFailure(kind: .timeout, message: "probe cancelled"), elapsedMs: elapsed()))
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// The failure kind and a readable message for an error of the exchange.
    static func failure(for error: any Error, timeoutMs: Int) -> HealthRecord.ProbeFailure {
        if let clientError = error as? HTTPClientError {
            let timeouts: [HTTPClientError] = [.deadlineExceeded, .readTimeout, .connectTimeout, .cancelled]
            if timeouts.contains(clientError) {
                return HealthRecord.ProbeFailure(kind: .timeout, message: "no answer within \(timeoutMs) ms")
            }
            if clientError == .tlsHandshakeTimeout {
                return HealthRecord.ProbeFailure(kind: .tls, message: "the TLS handshake timed out")
            }
            if clientError == .remoteConnectionClosed {
                return HealthRecord.ProbeFailure(kind: .body, message: "the connection closed before a complete answer")
            }
            if [HTTPClientError.invalidURL, .emptyHost, .emptyScheme].contains(clientError) {
                return HealthRecord.ProbeFailure(kind: .connect, message: "the URL cannot be requested")
            }
            return HealthRecord.ProbeFailure(kind: .body, message: "the answer could not be read (\(clientError))")
        }
        if error is CancellationError {
            return HealthRecord.ProbeFailure(kind: .timeout, message: "no answer within \(timeoutMs) ms")
        }
        if let io = error as? IOError {
            let message: String
            switch io.errnoCode {
            case ECONNREFUSED: message = "connection refused"
            case ECONNRESET: message = "the connection was reset"
            case EHOSTUNREACH, ENETUNREACH: message = "the host is unreachable"
            default: message = "request failed: \(String(cString: strerror(io.errnoCode)))"
            }
            return HealthRecord.ProbeFailure(kind: .connect, message: message)
        }
        let text = String(describing: error)
        if NIOErrorText.isConnectionRefused(error) {
            return HealthRecord.ProbeFailure(kind: .connect, message: "connection refused")
        }
        if NIOErrorText.isTLS(error) {
            return HealthRecord.ProbeFailure(kind: .tls, message: "TLS failed (\(text.prefix(200)))")
        }
        if text.contains("HTTPParserError") || text.contains("invalid") {
            return HealthRecord.ProbeFailure(kind: .body, message: "the answer is not HTTP")
        }
        return HealthRecord.ProbeFailure(kind: .connect, message: "request failed: \(text.prefix(200))")
    }
}
