/// The Cloudflare API token, kept where no description, mirror or message can show it.
///
/// Everything that prints or reflects this value sees `<redacted>`; the only way to the
/// secret is ``authorization``, which goes into the request header and nowhere else.
struct CloudflareToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let secret: String

    init(_ secret: String) {
        self.secret = secret
    }

    /// The `Authorization` header value.
    var authorization: String { "Bearer " + secret }

    /// Whether the token can go into a header at all: non-empty, visible ASCII only.
    /// A CR or LF would split the header, a space would make it a different credential.
    var isWellFormed: Bool {
        !secret.isEmpty && secret.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }

    var description: String { "<redacted>" }
    var debugDescription: String { "CloudflareToken(<redacted>)" }
    var customMirror: Mirror { Mirror(self, children: [:]) }

    /// `text` with every occurrence of the token replaced.
    ///
    /// Messages are built from status codes and paths, never from headers, so this is the
    /// second line of defence: a server (or proxy) that echoes the `Authorization` header in
    /// its error messages must not get the token into ours. Very short "tokens" are not
    /// redacted because replacing, say, every `a` would garble the message and they are no
    /// real credential anyway.
    func redact(_ text: String) -> String {
        guard secret.utf8.count >= 4 else { return text }
        return text.replacing(secret, with: "<redacted>")
    }
}

extension RegistryError {
    /// The same error with `transform` applied to its message text.
    func mapDetail(_ transform: (String) -> String) -> RegistryError {
        switch self {
        case .notConfigured(let detail): .notConfigured(transform(detail))
        case .bindingNotFound(let detail): .bindingNotFound(transform(detail))
        case .unreachable(let detail): .unreachable(transform(detail))
        case .unauthorized(let detail): .unauthorized(transform(detail))
        case .rateLimited: self
        case .timeout(let detail): .timeout(transform(detail))
        case .corrupt(let detail): .corrupt(transform(detail))
        case .invalidArgument(let detail): .invalidArgument(transform(detail))
        case .failed(let detail): .failed(transform(detail))
        }
    }
}
