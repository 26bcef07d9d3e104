/// What the framer found in the byte stream.
///
/// Errors are events rather than thrown errors because a bad header must not end the
/// session: the server reports it and the framer resynchronises on the next header.
enum FramingEvent: Sendable, Equatable {
    /// One complete message body (the JSON bytes, without headers).
    case message([UInt8])
    /// Bytes that could not be framed; they were skipped.
    case error(FramingError)
}

/// Why bytes were skipped instead of framed.
enum FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header block without `Content-Length`.
    case missingContentLength
    /// A `Content-Length` that is not a non-negative decimal number (`-5`, `abc`).
    case invalidContentLength(String)
    /// A `Content-Length` above the cap.
    case contentLengthTooLarge(Int, limit: Int)
    /// A header line that is not `Name: value`.
    case malformedHeader(String)
    /// More header bytes than any real header block has, without the blank line that ends it.
    case headerTooLong(limit: Int)
    /// End of input in the middle of a body.
    case truncatedBody(expected: Int, received: Int)
    /// End of input in the middle of a header block.
    case truncatedHeader

    var description: String {
        switch self {
        case .missingContentLength: "header block without Content-Length"
        case .invalidContentLength(let value): "invalid Content-Length '\(value)'"
        case .contentLengthTooLarge(let length, let limit):
            "Content-Length \(length) exceeds the limit of \(limit) bytes"
        case .malformedHeader(let line): "malformed header line '\(line)'"
        case .headerTooLong(let limit): "no end of header within \(limit) bytes"
        case .truncatedBody(let expected, let received): "input ended after \(received) of \(expected) body bytes"
        case .truncatedHeader: "input ended inside a header block"
        }
    }
}
