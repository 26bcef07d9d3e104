/// Why ``StrictJSONReader`` refused its input: the first thing wrong, and where.
public struct StrictJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words ("expected ':' after a member's name, found '}'").
    public var message: String
    /// The offset of the byte at fault, from the start of the input.
    public var offset: Int

    /// The message and its offset: `expected a JSON value, found end of input at byte 0`.
    public var description: String { "\(message) at byte \(offset)" }
}

/// Reads one JSON text (RFC 8259) into a ``Value``, or refuses it with the first problem.
///
/// This is the reader for what a program writes: a request, the registry's health, a list of
/// URLs. It does not recover, keep positions or build a tree, so it is small and compiles
/// into the edge router's module without the config parser (``JSONParser``), which an editor
/// needs and the edge does not. Both read the same grammar: strings decode with the same
/// escapes (a lone surrogate becomes U+FFFD), numbers are held to the same grammar
/// (``NumberSyntax``), and a UTF-8 byte order mark at the start is skipped as the parser skips
/// it. What this one refuses that the strict dialect reports, too: comments, trailing commas,
/// single quotes, control characters and invalid UTF-8 inside strings, and nesting deeper
/// than the caller's limit.
///
/// Every container read costs one stack frame, so depth is limited (``depthLimit`` at most)
/// and checked before descending: input nested a million levels is refused at the level past
/// the limit. Messages quote only printable ASCII from the input; any other byte is written
/// as its value, so a message is safe to print to a terminal.
public struct StrictJSONReader {
    /// The deepest limit a caller can ask for, the config parser's own.
    public static let depthLimit = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    private var failure: StrictJSONError?

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = min(max(maxDepth, 0), Self.depthLimit)
    }

    /// The value `bytes` hold, with objects and arrays nested at most `maxDepth` levels, or
    /// the first problem in them.
    public static func read(_ bytes: [UInt8], maxDepth: Int) -> Result<Value, StrictJSONError> {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = StrictJSONReader(buffer, maxDepth: maxDepth)
            return reader.document()
        }
    }

    private mutating func document() -> Result<Value, StrictJSONError> {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        if let value = value(depth: 0) {
            skipWhitespace()
            if index == bytes.count { return .success(value) }
            let _: Value? = fail("unexpected \(found) after the value")
        }
        return .failure(failure ?? StrictJSONError(message: "the input is not JSON", offset: index))
    }

    /// The value at `index` (whitespace before it already skipped), or nil after recording
    /// why there is none.
    private mutating func value(depth: Int) -> Value? {
        guard index < bytes.count else { return fail("expected a JSON value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maxDepth else { return fail("nesting is deeper than \(maxDepth) levels") }
            return bytes[index] == UInt8(ascii: "{") ? object(depth: depth + 1) : array(depth: depth + 1)
        case UInt8(ascii: "\""):
            return string().map(Value.string)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return number()
        case UInt8(ascii: "t"):
            return keyword("true", .bool(true))
        case UInt8(ascii: "f"):
            return keyword("false", .bool(false))
        case UInt8(ascii: "n"):
            return keyword("null", .null)
        default:
            return fail("expected a JSON value, found \(found)")
        }
    }

    private mutating func object(depth: Int) -> Value? {
        index += 1
        var members: [Member] = []
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return .object(members) }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                return fail("expected a member's name in double quotes, found \(found)")
            }
            guard let name = string() else { return nil }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return fail("expected ':' after a member's name, found \(found)") }
            skipWhitespace()
            guard let value = value(depth: depth) else { return nil }
            members.append(Member(name: name, value: value))
            switch separator(closing: UInt8(ascii: "}"), after: "a member") {
            case true?: continue
            case false?: return .object(members)
            case nil: return nil
            }
        }
    }

    private mutating func array(depth: Int) -> Value? {
        index += 1
        var elements: [Value] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            guard let element = value(depth: depth) else { return nil }
            elements.append(element)
            switch separator(closing: UInt8(ascii: "]"), after: "an element") {
            case true?: continue
            case false?: return .array(elements)
            case nil: return nil
            }
        }
    }

    /// What follows a member or an element, whitespace skipped: true for a `,` (taken, with
    /// the whitespace after it), false for `closer` (taken), nil after recording what else is
    /// there.
    private mutating func separator(closing closer: UInt8, after what: String) -> Bool? {
        skipWhitespace()
        if take(UInt8(ascii: ",")) {
            skipWhitespace()
            return true
        }
        if take(closer) { return false }
        return fail("expected ',' or '\(Self.shown(closer))' after \(what), found \(found)")
    }

    /// Whether the byte at `index` is `byte`, taking it if so.
    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The string at `index` (its opening quote), decoded as the config parser decodes one.
    private mutating func string() -> String? {
        let start = index
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return StringDecoding.decode(bytes, range: ByteRange(start: start, end: index))
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else {
                    // A backslash as the last byte: the string is not closed.
                    index = bytes.count
                    continue
                }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    for digit in 2..<6 {
                        guard index + digit < bytes.count, Lexer.hexValue(bytes[index + digit]) != nil else {
                            index += min(digit, bytes.count - index)
                            return fail("'\\u' must be followed by four hexadecimal digits")
                        }
                    }
                    index += 6
                default:
                    index += 1
                    return fail("invalid escape '\\\(Self.shown(bytes[index]))' in a string")
                }
            case 0x00..<0x20:
                return fail("control character \(Self.shown(byte)) in a string: write it as an escape")
            case 0x20..<0x80:
                index += 1
            default:
                let length = Lexer.validUTF8Length(bytes, at: index)
                guard length > 0 else { return fail("invalid UTF-8 (byte \(Self.shown(byte))) in a string") }
                index += length
            }
        }
        index = bytes.count
        return fail("the string that starts at byte \(start) is not closed before the end of input")
    }

    private mutating func number() -> Value? {
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        let token = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if let problem = NumberSyntax.problem(in: token) {
            index = start
            return fail("invalid number: \(problem)")
        }
        // The grammar was checked, so the token has a value.
        return JSONNumber.value(ofToken: token).map(Value.number) ?? fail("invalid number")
    }

    private mutating func keyword(_ word: StaticString, _ value: Value) -> Value? {
        let end = index + word.utf8CodeUnitCount
        guard end <= bytes.count, Lexer.equals(UnsafeBufferPointer(rebasing: bytes[index..<end]), word) else {
            return fail("expected a JSON value, found \(found)")
        }
        index = end
        return value
    }

    private mutating func skipWhitespace() {
        index = Lexer.skipWhitespace(bytes, from: index)
    }

    /// Records the first problem, at `index`; nil, for the caller to return.
    private mutating func fail<Value>(_ message: String) -> Value? {
        if failure == nil { failure = StrictJSONError(message: message, offset: index) }
        return nil
    }

    /// The byte at `index` for a message: `end of input`, `'x'` or `byte 0xFF`.
    private var found: String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        return (0x21..<0x7F).contains(byte) ? "'\(Self.shown(byte))'" : "byte \(Self.shown(byte))"
    }

    /// A printable ASCII byte as itself; any other as `0x` and two hexadecimal digits.
    private static func shown(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(decoding: CollectionOfOne(byte), as: UTF8.self) : "0x" + Lexer.hex(byte)
    }

    /// Bytes a number token runs over; the grammar check then finds what is wrong with it.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }
}
