/// Compact JSON text written straight into UTF-8 bytes, for the edge router's answers
/// (``DecisionJSON``). The commands and the language server write JSON with json-c
/// (WireJSON); the router cannot, because it also compiles for the edge, where neither
/// json-c nor Foundation exists.
///
/// Numbers are written as `diddy-mesh route --format json` writes them: a whole number
/// below 10^15 as an integer, any other finite number as Swift's shortest round-trip
/// text, and a non-finite one as `null`, which JSON has no spelling for.
public struct JSONTextWriter: Sendable {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []
    /// One entry per open object or array: whether it has a member or element yet.
    private var hasItems: [Bool] = []
    /// Whether a key was just written, so the value after it takes no comma.
    private var afterKey = false

    /// An empty text.
    public init() {
        bytes.reserveCapacity(1024)
        // Answers nest a few levels deep: one allocation for the stack, not one per level.
        hasItems.reserveCapacity(8)
    }

    /// Opens an object: members follow as ``key(_:)`` and a value each.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasItems.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        _ = hasItems.popLast()
    }

    /// Opens an array: its elements are the values written next.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasItems.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        _ = hasItems.popLast()
    }

    /// A member's key; its value is the next thing written.
    public mutating func key(_ name: String) {
        separate()
        quote(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// A string, escaped as JSON requires.
    public mutating func string(_ text: String) {
        separate()
        quote(text)
    }

    /// A string, or `null` for nil.
    public mutating func string(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    /// An integer.
    public mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number, in the CLI's form (see the type's summary).
    public mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        // Int64, not Int: a whole number past 2^31 is written the same on wasm32.
        if value.rounded() == value, abs(value) < 1e15 {
            separate()
            bytes.append(contentsOf: String(Int64(value)).utf8)
            return
        }
        separate()
        bytes.append(contentsOf: value.description.utf8)
    }

    /// A number, or `null` for nil.
    public mutating func number(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A value already written as JSON text, whole (one object, array, string, number or
    /// literal), as it is: e.g. part of an answer kept from an earlier one.
    public mutating func rawValue(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// The comma before every member or element but the first of its container.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasItems.indices.last else { return }
        if hasItems[last] { bytes.append(UInt8(ascii: ",")) }
        hasItems[last] = true
    }

    /// `text` as a string literal. A Swift string is valid UTF-8, so every byte but the
    /// quote, the backslash and the control characters (which JSON requires escaped) is
    /// copied as it is: the runs between escapes are copied whole, which matters because
    /// the strings of a decision (URLs, reasons) seldom have any. MeshSyntax's
    /// `StringEncoding` escapes the same way, per scalar into a `String`.
    private mutating func quote(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var run = 0
            for index in utf8.indices where utf8[index] < 0x20 || utf8[index] == 0x22 || utf8[index] == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                escape(utf8[index])
                run = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// One byte that JSON requires escaped: the short escape where JSON has one, else `\u00XX`.
    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    /// The lower-case hexadecimal digit of `value` (0 to 15).
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
