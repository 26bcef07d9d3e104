import MeshSyntax

/// One step of a compiled path pattern, laid out without reference-counted payloads so
/// the hot path copies plain integers only.
///
/// A program is `PathPattern.items` translated one to one: a literal points into a byte
/// arena, a segment and the rest are markers. ``PathProgram/matches(_:_:path:)`` is the
/// one loop that runs them, for a single ``CompiledRule`` and for a whole ``RouteTable``.
struct PathOp: Sendable, Hashable {
    enum Kind: UInt8, Sendable {
        /// The bytes `arena[start ..< start + length]` exactly.
        case literal
        /// One non-empty segment (no `/`).
        case segment
        /// Anything that remains, possibly nothing.
        case rest
    }

    var kind: Kind
    var start: Int
    var length: Int
}

enum PathProgram {
    /// Appends the program of `pattern` to `ops`, its literal bytes to `arena`.
    static func append(_ pattern: PathPattern, to ops: inout [PathOp], arena: inout [UInt8]) {
        for item in pattern.items {
            switch item {
            case .literal(let bytes):
                ops.append(PathOp(kind: .literal, start: arena.count, length: bytes.count))
                arena.append(contentsOf: bytes)
            case .segment:
                ops.append(PathOp(kind: .segment, start: 0, length: 0))
            case .rest:
                ops.append(PathOp(kind: .rest, start: 0, length: 0))
            }
        }
    }

    /// Whether `path` (normalized, as bytes) matches the program `ops` over `arena`.
    /// Single pass, no backtracking: a segment step always spans a whole segment.
    @inline(__always)
    static func matches(
        _ ops: UnsafeBufferPointer<PathOp>, _ arena: UnsafeBufferPointer<UInt8>, path: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        var position = 0
        for op in ops {
            switch op.kind {
            case .literal:
                let start = op.start
                let length = op.length
                guard path.count - position >= length else { return false }
                var offset = 0
                while offset < length {
                    if path[position + offset] != arena[start + offset] { return false }
                    offset += 1
                }
                position += length
            case .segment:
                let start = position
                while position < path.count, path[position] != UInt8(ascii: "/") { position += 1 }
                guard position > start else { return false }
            case .rest:
                return true
            }
        }
        return position == path.count
    }
}

/// HTTP methods as bits, so a rule's `methods` check is one AND for the common methods.
/// Methods outside the table share one bit and are then confirmed against the rule's set.
enum MethodBits {
    static let any: UInt32 = .max
    static let other: UInt32 = 1 << 31

    /// The methods with a bit of their own, bit `1 << index` each.
    static let named = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]

    /// The bit of `method` (upper case), compared byte for byte.
    @inline(__always)
    static func bit(_ method: String) -> UInt32 {
        for index in named.indices where named[index].hasSameBytes(as: method) { return 1 << UInt32(index) }
        return other
    }

    /// The mask of a rule's method list; ``any`` when the rule has none.
    static func mask(_ methods: [String]?) -> UInt32 {
        guard let methods else { return any }
        return methods.reduce(0) { $0 | bit($1) }
    }
}
