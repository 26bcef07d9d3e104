/// A syntax check of TOML 1.0 run before a document reaches TOMLKit.
///
/// Why: TOMLKit 0.6 embeds toml++ 3.4, whose parser asserts (aborting the process in
/// debug builds, undefined behaviour in release builds) on many malformed documents,
/// such as `[[[`, `[.a]` or `x = [}`, instead of reporting a parse error. A user's broken
/// `wrangler.toml` must be a message, not a crash, so only documents that pass this
/// check are handed to TOMLKit. The check follows the TOML 1.0 ABNF for syntax only;
/// meaning (duplicate keys, redefined tables, date ranges) is left to toml++, which
/// reports those as errors.
struct TOMLSyntaxCheck {
    /// The first syntax error: 1-based line and column (in Unicode scalars).
    struct Failure: Error, Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    let bytes: [UInt8]
    /// The offset of the next byte to read.
    var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Nil when `bytes` (UTF-8, already validated) is syntactically TOML 1.0.
    static func check(_ bytes: [UInt8]) -> Failure? {
        var checker = TOMLSyntaxCheck(bytes)
        do {
            try checker.document()
            return nil
        } catch {
            return error
        }
    }

    // MARK: Document

    private mutating func document() throws(Failure) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while true {
            skipWhitespace()
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "#"):
                try comment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "["):
                try tableHeader()
            default:
                try keyValue()
            }
            skipWhitespace()
            if peek() == UInt8(ascii: "#") { try comment() }
            guard peek() != nil else { return }
            try newline(expected: "a new line")
        }
    }

    private mutating func tableHeader() throws(Failure) {
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        skipWhitespace()
        try key()
        skipWhitespace()
        try expect("]", "']' to close the table header")
        if isArray { try expect("]", "']]' to close the array of tables header") }
    }

    private mutating func keyValue() throws(Failure) {
        try key()
        skipWhitespace()
        try expect("=", "'=' after the key")
        skipWhitespace()
        try value()
    }

    private mutating func key() throws(Failure) {
        while true {
            try simpleKey()
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func simpleKey() throws(Failure) {
        switch peek() {
        case UInt8(ascii: "\""):
            index += 1
            try oneLineString(quote: UInt8(ascii: "\""), escapes: true)
        case UInt8(ascii: "'"):
            index += 1
            try oneLineString(quote: UInt8(ascii: "'"), escapes: false)
        case let byte? where Self.isBareKey(byte):
            while let byte = peek(), Self.isBareKey(byte) { index += 1 }
        default:
            throw failure("expected a key")
        }
    }

    // MARK: Values

    private mutating func value() throws(Failure) {
        guard let byte = peek() else { throw failure("expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            if matches("\"\"\"") {
                index += 3
                try multilineString(quote: UInt8(ascii: "\""), escapes: true)
            } else {
                index += 1
                try oneLineString(quote: UInt8(ascii: "\""), escapes: true)
            }
        case UInt8(ascii: "'"):
            if matches("'''") {
                index += 3
                try multilineString(quote: UInt8(ascii: "'"), escapes: false)
            } else {
                index += 1
                try oneLineString(quote: UInt8(ascii: "'"), escapes: false)
            }
        case UInt8(ascii: "["):
            index += 1
            try array()
        case UInt8(ascii: "{"):
            index += 1
            try inlineTable()
        default:
            try scalar()
        }
    }

    private mutating func array() throws(Failure) {
        while true {
            try skipArraySpace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return
            }
            try value()
            try skipArraySpace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default:
                throw failure("expected ',' or ']' in an array")
            }
        }
    }

    /// Whitespace, comments and new lines, which arrays allow between their elements.
    private mutating func skipArraySpace() throws(Failure) {
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "#"): try comment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try newline(expected: "a new line")
            default: return
            }
        }
    }

    private mutating func inlineTable() throws(Failure) {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try keyValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default:
                throw failure(
                    "expected ',' or '}' in an inline table (inline tables are one line, without a trailing comma)")
            }
        }
    }

    /// Booleans, numbers and dates: one token, checked against the ABNF's shapes.
    private mutating func scalar() throws(Failure) {
        let start = index
        while let byte = peek(), Self.isScalarByte(byte) { index += 1 }
        // A local date and time may be separated by a space.
        if index - start == 10, TOMLScalarShapes.isFullDate(Array(bytes[start..<index])), peek() == UInt8(ascii: " "),
            index + 2 < bytes.count, Self.isDigit(bytes[index + 1]), Self.isDigit(bytes[index + 2])
        {
            index += 1
            while let byte = peek(), Self.isScalarByte(byte) { index += 1 }
        }
        let token = Array(bytes[start..<index])
        guard !token.isEmpty else { throw failure("expected a value") }
        guard TOMLScalarShapes.isValid(token) else {
            index = start
            throw failure("'\(String(decoding: token, as: UTF8.self))' is not a TOML value", showingFound: false)
        }
    }

    mutating func newline(expected: String) throws(Failure) {
        if peek() == UInt8(ascii: "\r") { index += 1 }
        guard peek() == UInt8(ascii: "\n") else { throw failure("expected \(expected)") }
        index += 1
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    mutating func expect(_ character: Unicode.Scalar, _ what: String) throws(Failure) {
        guard peek() == UInt8(ascii: character) else { throw failure("expected \(what)") }
        index += 1
    }

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    func matches(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return text.withUTF8Buffer { bytes[index..<(index + count)].elementsEqual($0) }
    }

    /// A failure at the current position; `showingFound` appends what is there.
    func failure(_ message: String, showingFound: Bool = true) -> Failure {
        var line = 1
        var column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        let found =
            peek().map { byte in
                byte >= 0x20 && byte < 0x7F
                    ? "'\(Character(Unicode.Scalar(byte)))'"
                    : (byte == UInt8(ascii: "\n") ? "the end of the line" : "byte \(byte)")
            } ?? "the end of the file"
        return Failure(line: line, column: column, message: showingFound ? "\(message), found \(found)" : message)
    }

    // MARK: Byte classes

    static func isBareKey(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isScalarByte(_ byte: UInt8) -> Bool {
        isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
