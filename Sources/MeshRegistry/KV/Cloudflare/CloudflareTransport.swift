import AsyncHTTPClient
import Foundation
import MeshConfig
import NIOCore
import NIOHTTP1

/// One request to the namespace's part of the API, relative to
/// `<base>/accounts/<account>/storage/kv/namespaces/<namespace>/`.
struct CloudflareRequest: Sendable {
    var method: String
    /// Already percent-encoded, e.g. `values/health%3Aapi`.
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]?
    var contentType: String?

    /// How messages name the call: `GET values/health%3Aapi` (keys are not secret).
    var label: String { method + " " + path }
}

/// What came back, for the statuses the store interprets itself (2xx, 404, other 4xx).
struct CloudflareResponse: Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: [UInt8]
}

/// Sends requests with the token, a deadline per attempt, and the retry rules:
/// 429 waits for `retry-after` (or a backoff) up to `maxRetries` times, 5xx retries with a
/// short backoff, 401/403 fail at once, timeouts are not retried (the caller asked for a
/// bound, and a hung server would only hang again).
final class CloudflareTransport: Sendable {
    /// The longest `retry-after` worth waiting for; a longer one fails at once with
    /// `.rateLimited(retryAfter:)` so the caller can decide.
    static let maximumRetryDelay: Double = 30

    let namespaceBase: String
    let timeout: Duration
    let maxRetries: Int
    private let token: CloudflareToken
    private let client: HTTPClient

    /// The largest answer read: a listing page of 1,000 keys with metadata is far smaller,
    /// and a value is at most 25 MiB.
    static let maximumBodyBytes = 32 * 1024 * 1024

    init(namespaceBase: String, token: CloudflareToken, timeout: Duration, maxRetries: Int) {
        self.namespaceBase = namespaceBase
        self.token = token
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        var pool = HTTPClient.Configuration.ConnectionPool()
        // A refused connection is an answer (unreachable), not something to retry until
        // the deadline turns it into a timeout.
        pool.retryConnectionEstablishment = false
        // Redirects are never followed: the API sends none, and one could carry the token
        // to another host; the 3xx comes back to ``send(_:)``.
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, connectionPool: pool, decompression: .disabled)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        client.shutdown { _ in }
    }

    /// The response to `request` after retries; throws ``RegistryError`` only.
    func send(_ request: CloudflareRequest) async throws -> CloudflareResponse {
        guard token.isWellFormed else {
            throw RegistryError.unauthorized("CLOUDFLARE_API_TOKEN is empty or contains characters a token cannot have")
        }
        var attempt = 0
        while true {
            let response = try await sendOnce(request)
            switch response.status {
            case 401, 403:
                throw RegistryError.unauthorized(
                    "the Cloudflare API refused the token (\(response.status)) for \(request.label)"
                        + detail(response)
                        + "; check that CLOUDFLARE_API_TOKEN is set and has Workers KV Storage permission for this "
                        + "account"
                )
            case 429:
                let after = CloudflareWireFormat.retryAfterSeconds(response.headers["retry-after"])
                let delay = after ?? Double(1 << min(attempt, 4))
                guard attempt < maxRetries, delay <= Self.maximumRetryDelay else {
                    throw RegistryError.rateLimited(retryAfter: after)
                }
                try await pause(delay)
            case 500...599:
                guard attempt < maxRetries else {
                    throw RegistryError.failed(
                        "Cloudflare API answered \(response.status) for \(request.label) after \(attempt + 1) "
                            + "attempt\(attempt == 0 ? "" : "s")"
                            + detail(response)
                    )
                }
                let after = CloudflareWireFormat.retryAfterSeconds(response.headers["retry-after"])
                try await pause(min(after ?? 0.2 * Double(1 << min(attempt, 4)), Self.maximumRetryDelay))
            case 300...399:
                // Redirects are not followed (the client is built with `.disallow`): the API
                // never sends them, and following one could carry the token to another host.
                throw RegistryError.failed(
                    "Cloudflare API answered \(response.status) (a redirect, not followed) for \(request.label)")
            default:
                return response
            }
            attempt += 1
        }
    }

    /// `: 10009 get: 'key not found'` from the envelope, or nothing; the token redacted.
    func detail(_ response: CloudflareResponse) -> String {
        CloudflareWireFormat.envelopeMessages(response.body, redact: token.redact).map { ": " + $0 } ?? ""
    }

    private func pause(_ seconds: Double) async throws {
        do {
            try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
        } catch {
            throw RegistryError.failed("the Cloudflare request was cancelled")
        }
    }

    /// One attempt, bounded by `timeout` for the whole exchange (connect, head and body).
    private func sendOnce(_ request: CloudflareRequest) async throws -> CloudflareResponse {
        let (httpRequest, host) = try makeRequest(request)
        let (client, timeout) = (client, timeout)
        do {
            return try await CloudflareDeadline.run(within: timeout) {
                let response = try await client.execute(httpRequest, deadline: .now() + Self.nanoseconds(timeout))
                let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
                var headers: [String: String] = [:]
                for (name, value) in response.headers { headers[name.lowercased()] = value }
                return CloudflareResponse(
                    status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView))
            }
        } catch is CloudflareDeadline.Expired {
            throw RegistryError.timeout(
                "no answer from the Cloudflare API within \(Self.secondsText(timeout)) s for \(request.label)")
        } catch is CancellationError {
            throw RegistryError.failed("the Cloudflare request was cancelled")
        } catch {
            throw Self.mapped(error, request: request, host: host, timeout: timeout)
        }
    }

    private func makeRequest(_ request: CloudflareRequest) throws -> (HTTPClientRequest, host: String) {
        var text = namespaceBase + request.path
        if !request.query.isEmpty { text += "?" + CloudflareWireFormat.query(request.query) }
        guard case .success(let url) = EndpointURL.parse(text) else {
            throw RegistryError.invalidArgument("the Cloudflare API base URL is not an http(s) URL")
        }
        var httpRequest = HTTPClientRequest(url: text)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        httpRequest.headers.add(name: "Authorization", value: token.authorization)
        httpRequest.headers.add(name: "Accept", value: "application/json, application/octet-stream")
        if let contentType = request.contentType {
            httpRequest.headers.add(name: "Content-Type", value: contentType)
        }
        if let body = request.body { httpRequest.body = .bytes(ByteBuffer(bytes: body)) }
        return (httpRequest, url.host)
    }

    /// An AsyncHTTPClient or NIO error in words, built from its kind only: a description
    /// can quote the URL, and the request carries the token.
    private static func mapped(_ error: any Error, request: CloudflareRequest, host: String, timeout: Duration)
        -> RegistryError
    {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .connectTimeout:
                return .timeout(
                    "no answer from the Cloudflare API within \(secondsText(timeout)) s for \(request.label)")
            case .cancelled:
                return .failed("the Cloudflare request was cancelled")
            case .tlsHandshakeTimeout:
                return .unreachable("no trusted TLS connection to \(host) for \(request.label)")
            case .remoteConnectionClosed:
                return .unreachable("the connection to \(host) was lost during \(request.label)")
            case .invalidURL, .emptyHost, .emptyScheme:
                return .invalidArgument("the Cloudflare API base URL is not an http(s) URL")
            default:
                break
            }
        }
        if NIOErrorText.isConnectionRefused(error) {
            return .unreachable("cannot connect to \(host) (connection refused) for \(request.label)")
        }
        if error is NIOTooManyBytesError {
            return .failed("the Cloudflare API answered more than 32 MiB for \(request.label)")
        }
        if NIOErrorText.isTLS(error) {
            return .unreachable("no trusted TLS connection to \(host) for \(request.label)")
        }
        let text = String(describing: error)
        if text.contains("resolve") || text.contains("NXDOMAIN") || text.contains("getaddrinfo") {
            return .unreachable("cannot resolve \(host) for \(request.label)")
        }
        return .unreachable("the Cloudflare API at \(host) could not be reached for \(request.label)")
    }

    /// A duration for NIO's clock, at most a year (a larger `--timeout` would overflow).
    static func nanoseconds(_ duration: Duration) -> TimeAmount {
        let parts = duration.components
        let seconds = min(max(0, parts.seconds), 365 * 86_400)
        return .nanoseconds(seconds * 1_000_000_000 + max(0, parts.attoseconds) / 1_000_000_000)
    }

    /// `10`, `0.5`: how long a timeout is, for messages.
    static func secondsText(_ duration: Duration) -> String {
        let value = seconds(duration)
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
