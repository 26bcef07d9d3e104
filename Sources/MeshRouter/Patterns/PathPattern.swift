import MeshSyntax

/// One piece of a compiled path pattern.
public enum PatternItem: Sendable, Hashable {
    /// Exactly these bytes (slashes included).
    case literal([UInt8])
    /// One non-empty segment (no `/`): `:name` (captured) or `*` in the middle.
    case segment(name: String?)
    /// Any remaining characters, `/` included, possibly none: a trailing `*`.
    case rest
}

/// Why a pattern is invalid (DM401), with the byte offset of the offending character.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence saying which character and why.
    public let message: String
    /// The byte offset of the problem within the pattern text.
    public let offset: Int
    /// How many bytes the problem spans.
    public let length: Int

    public var description: String { message }
}

/// A compiled path pattern of docs/guide/routing.md: literal segments, `:name`, `*` as a whole
/// segment, and a trailing `*`.
///
/// The pattern compiles to a list of items in which a segment item is always a whole
/// segment, so matching is a single left-to-right pass with no backtracking.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let source: String
    /// The compiled items.
    public let items: [PatternItem]

    public var description: String { source }

    /// The whole literal segments the pattern starts with (`/api/users/:id` -> `api`,
    /// `users`), which a route table can index on. A segment that a trailing `*` cuts
    /// short (`user` in `/api/user*`) is not included.
    public let literalPrefixSegments: [String]

    /// Whether the pattern ends in `*`.
    public var hasRest: Bool { items.last == .rest }

    /// The names of the captured parameters, in order.
    public var parameterNames: [String] {
        items.compactMap { item in
            if case .segment(let name?) = item { return name }
            return nil
        }
    }

    /// Parses and compiles `text`.
    public static func parse(_ text: String) -> Result<PathPattern, PatternError> {
        // The bytes are read in place: a route table parses every rule's pattern, and
        // copying each pattern and each of its segments into arrays was most of that.
        text.withUTF8Bytes { parse(text, bytes: $0) }
    }

    private static func parse(_ text: String, bytes: UnsafeBufferPointer<UInt8>) -> Result<PathPattern, PatternError> {
        guard let first = bytes.first else {
            return .failure(
                PatternError(message: "the path pattern is empty; it must start with '/'", offset: 0, length: 0))
        }
        guard first == UInt8(ascii: "/") else {
            return .failure(PatternError(message: "the path pattern must start with '/'", offset: 0, length: 1))
        }
        if let query = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            return .failure(
                PatternError(
                    message:
                        "'\(Character(Unicode.Scalar(bytes[query])))' cannot appear in a path pattern: patterns "
                        + "match the path only, never the query or fragment",
                    offset: query, length: 1))
        }
        var items: [PatternItem] = []
        var literal: [UInt8] = []
        literal.reserveCapacity(bytes.count)
        var prefixSegments: [String] = []
        var countingPrefix = true
        var names = NameSet()
        var index = 0
        // Each iteration handles one '/' and the segment after it.
        while index < bytes.count {
            literal.append(UInt8(ascii: "/"))
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
            let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let isLast = end == bytes.count
            if segment.count == 1, segment[0] == UInt8(ascii: "*") {
                flush(&literal, into: &items)
                items.append(isLast ? .rest : .segment(name: nil))
                countingPrefix = false
            } else if segment.first == UInt8(ascii: ":") {
                let nameBytes = UnsafeBufferPointer(rebasing: segment.dropFirst())
                let name = String(decoding: nameBytes, as: UTF8.self)
                guard isIdentifier(nameBytes) else {
                    let message =
                        name.isEmpty
                        ? "':' must be followed by a parameter name"
                        : "invalid parameter name '\(name)': use letters, digits and '_', starting with a letter or '_'"
                    return .failure(PatternError(message: message, offset: start, length: segment.count))
                }
                guard names.insert(name) else {
                    return .failure(
                        PatternError(
                            message: "parameter ':\(name)' appears twice", offset: start, length: segment.count))
                }
                flush(&literal, into: &items)
                items.append(.segment(name: name))
                countingPrefix = false
            } else {
                if let star = segment.firstIndex(of: UInt8(ascii: "*")) {
                    guard isLast, star == segment.count - 1 else {
                        return .failure(
                            PatternError(
                                message:
                                    "'*' may appear only as a whole segment or as the last character of the pattern",
                                offset: start + star, length: 1))
                    }
                    // A trailing '*' does not make a ':' inside its segment legal (`/a:b*`).
                    if let colon = segment.firstIndex(of: UInt8(ascii: ":")) {
                        return .failure(
                            PatternError(
                                message: "':' may appear only at the start of a segment, to name a parameter",
                                offset: start + colon, length: 1))
                    }
                    PathNormalizer.appendEncoded(UnsafeBufferPointer(rebasing: segment.dropLast()), to: &literal)
                    flush(&literal, into: &items)
                    items.append(.rest)
                    countingPrefix = false
                } else if let colon = segment.firstIndex(of: UInt8(ascii: ":")) {
                    return .failure(
                        PatternError(
                            message: "':' may appear only at the start of a segment, to name a parameter",
                            offset: start + colon, length: 1))
                } else {
                    // Request paths are percent-encoded (a space is `%20`, `é` is `%C3%A9`), so
                    // a literal written with the raw characters is encoded the same way, or it
                    // could never match.
                    let encodedStart = literal.count
                    PathNormalizer.appendEncoded(segment, to: &literal)
                    if countingPrefix, !isLast || !segment.isEmpty {
                        prefixSegments.append(String(decoding: literal[encodedStart...], as: UTF8.self))
                    }
                }
            }
            index = end
        }
        flush(&literal, into: &items)
        return .success(PathPattern(source: text, items: items, literalPrefixSegments: prefixSegments))
    }

    private static func flush(_ literal: inout [UInt8], into items: inout [PatternItem]) {
        if !literal.isEmpty {
            items.append(.literal(literal))
            literal.removeAll()
        }
    }

    private static func isIdentifier(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first,
            first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20)
        else { return false }
        return bytes.allSatisfy {
            $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
    }

    /// Whether the normalized `path` matches. Allocates nothing.
    public func matches(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { matchEnd($0, captures: nil) }
    }

    /// Whether the path bytes match. Allocates nothing.
    public func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        matchEnd(path, captures: nil)
    }

    /// The captured parameters when `path` matches, nil otherwise.
    public func captures(_ path: String) -> NameMap<String>? {
        var path = path
        var captured: NameMap<String> = [:]
        let matched = path.withUTF8 { matchEnd($0, captures: &captured) }
        return matched ? captured : nil
    }

    private func matchEnd(_ path: UnsafeBufferPointer<UInt8>, captures: UnsafeMutablePointer<NameMap<String>>?) -> Bool
    {
        var position = 0
        for item in items {
            switch item {
            case .literal(let bytes):
                guard path.count - position >= bytes.count else { return false }
                for offset in 0..<bytes.count where path[position + offset] != bytes[offset] {
                    return false
                }
                position += bytes.count
            case .segment(let name):
                let start = position
                while position < path.count, path[position] != UInt8(ascii: "/") { position += 1 }
                guard position > start else { return false }
                if let name, let captures {
                    captures.pointee[name] = String(
                        decoding: UnsafeBufferPointer(rebasing: path[start..<position]), as: UTF8.self)
                }
            case .rest:
                return true
            }
        }
        return position == path.count
    }

    private func matchEnd(_ path: UnsafeBufferPointer<UInt8>, captures: inout NameMap<String>) -> Bool {
        withUnsafeMutablePointer(to: &captures) { matchEnd(path, captures: $0) }
    }
}
