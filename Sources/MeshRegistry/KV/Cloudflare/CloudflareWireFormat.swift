import Foundation
import WireJSON

/// The small text formats of the Cloudflare API that are not JSON bodies: path and query
/// encoding, `retry-after`, and the error lines of a response envelope.
enum CloudflareWireFormat {
    /// `text` percent-encoded byte by byte, keeping only RFC 3986 unreserved characters.
    ///
    /// Keys may contain `/`, `?`, `#`, `%`, `:` and spaces; encoding everything else means a
    /// key always stays one path segment (or one query value) whatever it contains.
    static func percentEncode(_ text: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `name=value` pairs joined with `&`, both sides percent-encoded.
    static func query(_ items: [(String, String)]) -> String {
        items.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
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
