import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
    private let session: URLSession

    init(namespaceBase: String, token: CloudflareToken, timeout: Duration, maxRetries: Int) {
        self.namespaceBase = namespaceBase
        self.token = token
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        let configuration = URLSessionConfiguration.ephemeral
        // URLSession's own timeouts are only the backstop: the deadline in `sendOnce` is the
        // bound. They are a whole second longer because swift-corelibs-foundation truncates
        // them to whole seconds, and a sub-second one becomes an immediate failure.
        configuration.timeoutIntervalForRequest = Self.backstopInterval(timeout)
        configuration.timeoutIntervalForResource = Self.backstopInterval(timeout)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        self.session = URLSession(
            configuration: configuration, delegate: CloudflareRedirectRefusal(), delegateQueue: nil)
    }

    deinit {
        // The session keeps its delegate alive until it is invalidated.
        session.finishTasksAndInvalidate()
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
                // Redirects are refused (see CloudflareRedirectRefusal): the API never sends
                // them, and following one could carry the token to another host.
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

    /// One attempt, bounded by `timeout` whatever URLSession does.
    private func sendOnce(_ request: CloudflareRequest) async throws -> CloudflareResponse {
        let urlRequest = try makeURLRequest(request)
        let session = self.session
        let outcome: (Data, URLResponse)
        do {
            outcome = try await CloudflareDeadline.run(within: timeout) {
                try await session.data(for: urlRequest)
            }
        } catch is CloudflareDeadline.Expired {
            throw RegistryError.timeout(
                "no answer from the Cloudflare API within \(Self.secondsText(timeout)) s for \(request.label)")
        } catch is CancellationError {
            throw RegistryError.failed("the Cloudflare request was cancelled")
        } catch let error as URLError {
            throw Self.mapped(error, request: request, host: urlRequest.url?.host ?? "the API host", timeout: timeout)
        } catch {
            throw RegistryError.unreachable("the Cloudflare API could not be reached for \(request.label)")
        }
        guard let http = outcome.1 as? HTTPURLResponse else {
            throw RegistryError.failed(
                "the Cloudflare API sent something that is not an HTTP response for \(request.label)")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return CloudflareResponse(status: http.statusCode, headers: headers, body: [UInt8](outcome.0))
    }

    private func makeURLRequest(_ request: CloudflareRequest) throws -> URLRequest {
        var text = namespaceBase + request.path
        if !request.query.isEmpty { text += "?" + CloudflareWireFormat.query(request.query) }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw RegistryError.invalidArgument("the Cloudflare API base URL is not an http(s) URL")
        }
        var urlRequest = URLRequest(
            url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: Self.backstopInterval(timeout))
        urlRequest.httpMethod = request.method
        urlRequest.setValue(token.authorization, forHTTPHeaderField: "Authorization")
        urlRequest.setValue("application/json, application/octet-stream", forHTTPHeaderField: "Accept")
        if let contentType = request.contentType {
            urlRequest.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        return urlRequest
    }

    /// A URLError in words, built from its code only: its own description can quote the URL
    /// and, in some Foundation versions, more of the request than we want to repeat.
    private static func mapped(_ error: URLError, request: CloudflareRequest, host: String, timeout: Duration)
        -> RegistryError
    {
        switch error.code {
        case .timedOut:
            return .timeout("no answer from the Cloudflare API within \(secondsText(timeout)) s for \(request.label)")
        case .cannotConnectToHost:
            return .unreachable("cannot connect to \(host) (connection refused) for \(request.label)")
        case .cannotFindHost, .dnsLookupFailed:
            return .unreachable("cannot resolve \(host) for \(request.label)")
        case .notConnectedToInternet:
            return .unreachable("no network connection for \(request.label)")
        case .networkConnectionLost:
            return .unreachable("the connection to \(host) was lost during \(request.label)")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return .unreachable("no trusted TLS connection to \(host) for \(request.label)")
        case .cancelled:
            return .failed("the Cloudflare request was cancelled")
        default:
            return .unreachable(
                "the Cloudflare API at \(host) could not be reached for \(request.label) (URL error "
                    + "\(error.code.rawValue))"
            )
        }
    }

    /// `10`, `0.5`: how long a timeout is, for messages.
    static func secondsText(_ duration: Duration) -> String {
        let value = seconds(duration)
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The URLSession timeout behind a deadline of `timeout`: whole seconds, one more.
    static func backstopInterval(_ timeout: Duration) -> TimeInterval {
        seconds(timeout).rounded(.up) + 1
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Refuses every redirect, so the 3xx answer itself comes back to ``CloudflareTransport``.
private final class CloudflareRedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
