/// Why a document was rejected by `WireJSON.parse`.
public struct WireJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A human-readable reason, e.g. `unexpected character` or `invalid number literal '01'`.
    public let message: String
    /// The zero-based byte offset in the input where the problem was found, when known.
    public let offset: Int?

    /// Creates an error with a reason and an optional byte offset.
    public init(message: String, offset: Int?) {
        self.message = message
        self.offset = offset
    }

    /// The message followed by the byte offset, when there is one.
    public var description: String {
        guard let offset else { return message }
        return "\(message) at byte \(offset)"
    }
}
