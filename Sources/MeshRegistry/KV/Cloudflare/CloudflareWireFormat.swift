import Foundation
import MeshSyntax
import WireJSON

/// The small text formats of the Cloudflare API that are not JSON bodies: query encoding,
/// `retry-after`, and the error lines of a response envelope.
enum CloudflareWireFormat {
    /// `name=value` pairs joined with `&`, both sides percent-encoded but for the RFC 3986
    /// unreserved characters, so a value with `&`, `=`, `#` or spaces stays one value.
    static func query(_ items: [(String, String)]) -> String {
        items.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
    }

    /// The delay a `retry-after` header asks for, in seconds: delta-seconds or an HTTP date
    /// (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`). A date in the past means now (0);
    /// anything else unreadable is nil, so the caller falls back to its own backoff.
    /// The longest `Retry-After` taken at its word, in seconds (a year).
    static let maximumRetryAfter: Double = 31_536_000

    static func retryAfterSeconds(_ header: String?, now: Date = Date()) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            // A server's header is not to be trusted with arithmetic: a year is plenty.
            return seconds.isFinite && seconds >= 0 ? min(seconds, maximumRetryAfter) : nil
        }
        // A formatter per call: DateFormatter is not Sendable and this runs on 429s only.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "dd MMM yyyy HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return min(max(0, date.timeIntervalSince(now)), maximumRetryAfter)
            }
        }
        return nil
    }

    /// The envelope's `errors` (and `messages`) as one line, `10009 get: 'key not found'`,
    /// or nil when the body is not an envelope or says nothing. Capped so a server cannot
    /// flood a user-facing message; `redact` runs before the cap so a cut cannot leave part
    /// of a secret behind.
    static func envelopeMessages(_ body: [UInt8], redact: (String) -> String = { $0 }) -> String? {
        guard case .success(let json) = WireJSON.parse(body) else { return nil }
        var lines: [String] = []
        for field in ["errors", "messages"] {
            for item in json[field]?.arrayValue ?? [] {
                let message = item["message"]?.stringValue ?? item.stringValue
                let code = item["code"]?.intValue.map { "\($0) " } ?? ""
                if let message, !message.isEmpty { lines.append(code + message) }
            }
        }
        guard !lines.isEmpty else { return nil }
        let joined = redact(lines.joined(separator: "; "))
        return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
    }
}
