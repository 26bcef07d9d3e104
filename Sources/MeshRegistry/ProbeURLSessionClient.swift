import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The prober's HTTP client: Foundation's `URLSession` with a hard deadline per request.
///
/// `URLRequest.timeoutInterval` is an *idle* timeout (a server that trickles bytes never
/// trips it), so each request also races a timer: whichever finishes first answers, and
/// the loser is cancelled (see ``FirstAnswer``). The caller is resumed by the timer even if
/// the session never calls back, which is what lets one hanging endpoint finish within its
/// own timeout.
public final class URLSessionProbeClient: ProbeHTTPClient {
    private let session: URLSession
    private let userAgent: String

    /// A client allowing `maximumConnections` connections per host (the prober passes its
    /// concurrency, so endpoints sharing a host are not queued behind a lower default).
    public init(maximumConnections: Int = 32, userAgent: String = "diddy-mesh-health-prober") {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, maximumConnections)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
        self.userAgent = userAgent
    }

    deinit {
        session.invalidateAndCancel()
    }

    public func get(_ url: URL, timeoutMs: Int) async -> ProbeHTTPResult {
        let timeout = max(1, timeoutMs)
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.cachePolicy = .reloadIgnoringLocalCacheData
        // Only a backstop: the timer below is the deadline that counts.
        request.timeoutInterval = Double(timeout) / 1000 + 1
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("application/json, */*;q=0.5", forHTTPHeaderField: "Accept")

        let start = ContinuousClock.now
        let elapsed: @Sendable () -> Double = { Self.milliseconds(ContinuousClock.now - start) }
        let first = FirstAnswer<ProbeHTTPResult>()
        let task = session.dataTask(with: request) { _, response, error in
            first.settle(Self.classify(response: response, error: error, elapsedMs: elapsed()))
        }
        let timer = DeadlineTimer.after(.milliseconds(timeout)) {
            first.settle(.failure(HealthRecord.ProbeFailure(kind: .timeout, message: "no answer within \(timeout) ms"), elapsedMs: elapsed()))
        }
        first.whenSettled {
            timer.cancel()
            if task.state == .running { task.cancel() }
        }
        task.resume()
        return await withTaskCancellationHandler {
            await first.wait()
        } onCancel: {
            first.settle(.failure(HealthRecord.ProbeFailure(kind: .timeout, message: "probe cancelled"), elapsedMs: elapsed()))
        }
    }

    /// Maps what the session reported to a probe result.
    static func classify(response: URLResponse?, error: (any Error)?, elapsedMs: Double) -> ProbeHTTPResult {
        if let error {
            return .failure(failure(for: error), elapsedMs: elapsedMs)
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(HealthRecord.ProbeFailure(kind: .body, message: "the answer is not an HTTP response"), elapsedMs: elapsedMs)
        }
        return .response(status: http.statusCode, elapsedMs: elapsedMs)
    }

    /// The failure kind and a readable message for a session error. Foundation's own
    /// descriptions on Linux are often just "NSURLErrorDomain error -1004".
    static func failure(for error: any Error) -> HealthRecord.ProbeFailure {
        guard let urlError = error as? URLError else {
            return HealthRecord.ProbeFailure(kind: .connect, message: "request failed: \(error)")
        }
        switch urlError.code {
        case .timedOut:
            return HealthRecord.ProbeFailure(kind: .timeout, message: "the request timed out")
        case .cannotConnectToHost:
            return HealthRecord.ProbeFailure(kind: .connect, message: "connection refused")
        case .cannotFindHost, .dnsLookupFailed:
            return HealthRecord.ProbeFailure(kind: .connect, message: "the host name could not be resolved")
        case .networkConnectionLost:
            return HealthRecord.ProbeFailure(kind: .connect, message: "the connection was lost")
        case .notConnectedToInternet:
            return HealthRecord.ProbeFailure(kind: .connect, message: "no network")
        case .badURL:
            return HealthRecord.ProbeFailure(kind: .connect, message: "the URL cannot be requested")
        case .unsupportedURL:
            // Probe URLs are checked to be http(s) before they are sent, so this is libcurl
            // refusing the answer: no status line, i.e. not HTTP (curl's "HTTP/0.9" error).
            return HealthRecord.ProbeFailure(kind: .body, message: "the answer is not HTTP (URL error \(urlError.code.rawValue))")
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
             .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
             .clientCertificateRequired:
            return HealthRecord.ProbeFailure(kind: .tls, message: "TLS failed (URL error \(urlError.code.rawValue))")
        case .badServerResponse, .cannotParseResponse, .cannotDecodeRawData, .cannotDecodeContentData,
             .zeroByteResource, .dataLengthExceedsMaximum:
            return HealthRecord.ProbeFailure(kind: .body, message: "the answer could not be read (URL error \(urlError.code.rawValue))")
        case .cancelled:
            return HealthRecord.ProbeFailure(kind: .timeout, message: "the request was cancelled")
        default:
            return HealthRecord.ProbeFailure(kind: .connect, message: "request failed (URL error \(urlError.code.rawValue))")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
