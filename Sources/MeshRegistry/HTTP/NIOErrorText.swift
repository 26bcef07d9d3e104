import Foundation
import NIOCore

/// Failures that AsyncHTTPClient and NIO report only through their descriptions (the
/// connect and TLS errors of the channel pipeline have no public type to match), told
/// apart in one place for the prober and the Cloudflare transport, which each word them
/// in their own terms.
enum NIOErrorText {
    /// Whether `error` is a refused connection: an `IOError` with `ECONNREFUSED`, or an
    /// error whose description says so.
    static func isConnectionRefused(_ error: any Error) -> Bool {
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return true }
        let text = String(describing: error)
        return text.contains("connection refused") || text.contains("Connection refused")
            || text.contains("ECONNREFUSED")
    }

    /// Whether `error` comes from the TLS layer (NIOSSL, BoringSSL).
    static func isTLS(_ error: any Error) -> Bool {
        let text = String(describing: error)
        return text.contains("NIOSSL") || text.contains("BoringSSL") || text.contains("TLS")
    }
}
