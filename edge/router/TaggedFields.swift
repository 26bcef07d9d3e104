import MeshSyntax

/// A reader of the tagged field form, in which a host hands the module JSON it has already
/// parsed (edge/README.md, "Live health"): every field starts with a NUL byte, and every
/// value's first byte says its kind, so the module reads what the host's JSON held without a
/// JSON reader of its own (reading health and open circuits as JSON was 5.5 KB of the gzipped
/// module; docs/edge.md).
///
/// The kinds: `s` a string (the rest of the field, UTF-8), `n` a number (the rest, as JSON
/// writes it), `t` and `f` the booleans, `-` null or absent, `o` an object (its members
/// follow, in the order the reader asks for them), `a` an array (the rest is its count in
/// decimal; its elements follow), `x` anything else (a string with a NUL byte, which no field
/// can hold, or a value of a kind the reader does not ask for). The reader asks for members by
/// position, so the form carries no member names: what a member must be is the reader's to
/// check, as it checked the JSON before.
struct TaggedFields {
    /// One value, by its kind.
    enum Value {
        case string(String)
        /// A number; nil when the text after `n` is not a JSON number.
        case number(Double?)
        case bool(Bool)
        case absent
        /// An object: its members are the next fields.
        case object
        /// An array of this many elements, the next fields.
        case array(Int)
        case other

        /// The text of a string.
        var string: String? {
            if case .string(let text) = self { return text }
            return nil
        }

        /// The value of a number.
        var number: Double? {
            if case .number(let value) = self { return value }
            return nil
        }

        /// Whether it is null or absent.
        var isAbsent: Bool {
            if case .absent = self { return true }
            return false
        }
    }

    private let bytes: [UInt8]
    /// Where the next field's NUL is.
    private var position = 0
    /// How many fields were read: where a damaged form stopped making sense.
    private(set) var fieldsRead = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every field was read.
    var isAtEnd: Bool { position >= bytes.count }

    /// The next field's bytes, or nil when none is left (or the form does not start with a
    /// NUL byte).
    mutating func nextField() -> ArraySlice<UInt8>? {
        guard position < bytes.count, bytes[position] == 0 else { return nil }
        let start = position + 1
        var end = start
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        position = end
        fieldsRead += 1
        return bytes[start..<end]
    }

    /// The next value, or nil when no field is left or its tag is not one of the kinds.
    mutating func next() -> Value? {
        guard let field = nextField(), let tag = field.first else { return nil }
        let rest = field.dropFirst()
        switch tag {
        case UInt8(ascii: "s"):
            return String(validating: rest, as: UTF8.self).map(Value.string) ?? .other
        case UInt8(ascii: "n"):
            return .number(String(validating: rest, as: UTF8.self).flatMap { JSONNumber.value(of: $0) })
        case UInt8(ascii: "t"): return rest.isEmpty ? .bool(true) : nil
        case UInt8(ascii: "f"): return rest.isEmpty ? .bool(false) : nil
        case UInt8(ascii: "-"): return rest.isEmpty ? .absent : nil
        case UInt8(ascii: "o"): return rest.isEmpty ? .object : nil
        case UInt8(ascii: "x"): return rest.isEmpty ? .other : nil
        case UInt8(ascii: "a"):
            // Each element takes a field of at least one byte, so a count past the bytes left
            // is damage, and never makes a reader reserve memory the input does not back.
            guard !rest.isEmpty, rest.count <= 9, rest.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let count = rest.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            return count <= (bytes.count - position) / 2 ? .array(count) : nil
        default:
            return nil
        }
    }
}
