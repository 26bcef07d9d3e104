/// json-c backed parsing and printing of JSON for wire traffic (LSP, KV records) and
/// machine-readable CLI output (JSON, SARIF).
///
/// Parsing accepts exactly one document: an empty document, data after the top-level
/// value and NUL bytes are errors. Strict mode is RFC 8259: json-c's strict tokener plus
/// a lexical pass that also rejects what json-c 0.16 lets through in strict mode
/// (`NaN`, `Infinity`, `1.`, `00`, `-01`, raw control characters in strings, overlong or
/// surrogate UTF-8, numbers outside the double range). Both modes reject integers outside
/// `Int64`, which json-c would clamp, and object keys containing `\u0000`, which json-c
/// would truncate. Lone surrogate escapes such as `"\ud800"` become U+FFFD.
///
/// Lenient mode is json-c's default tokener: `/* */` and `//` comments, trailing commas,
/// single-quoted strings, leading zeros, `NaN`/`Infinity` and case-insensitive
/// `true`/`false` are accepted, and ill-formed UTF-8 is repaired with U+FFFD.
public enum WireJSON {
    /// Parses one JSON document from UTF-8 bytes with json-c's tokener.
    ///
    /// - Parameters:
    ///   - bytes: The whole document; it is read to its end, not to the first NUL byte.
    ///   - strict: `JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8` plus the RFC 8259
    ///     checks described on ``WireJSON``; `false` gives json-c's lenient dialect.
    ///   - maxDepth: The deepest nesting accepted, passed to `json_tokener_new_ex`. json-c
    ///     counts the values on the deepest path, leaves included: `1` and `[]` have depth
    ///     1, `[1]` and `[[]]` depth 2, `{"a":[1]}` depth 3. Values below 1 count as 1.
    ///     The conversion to Swift values keeps its own stack, but json-c's release of its
    ///     tree and Swift's release of nested values recurse once per level, so limits far
    ///     above the default need threads with large stacks (the default fits in 256 KiB).
    /// - Returns: The value, or where and why the document was rejected. `-0` parses as
    ///   `.int(0)`, `-0.0` as `.double(-0.0)`.
    public static func parse(_ bytes: [UInt8], strict: Bool = true, maxDepth: Int = 1024) -> Result<
        JSONValue, WireJSONError
    > {
        bytes.withUnsafeBufferPointer { JsonCParser.parse($0, strict: strict, maxDepth: maxDepth) }
    }

    /// Parses one JSON document from text; the rules are those of the `[UInt8]` overload.
    public static func parse(_ text: String, strict: Bool = true, maxDepth: Int = 1024) -> Result<
        JSONValue, WireJSONError
    > {
        var text = text
        return text.withUTF8 { JsonCParser.parse($0, strict: strict, maxDepth: maxDepth) }
    }

    /// Serializes a value through json-c (`json_object_to_json_string_ext`).
    ///
    /// Doubles print as Swift's shortest round-trip text (`0.1`, `2.0`, `1e+300`, `-0.0`)
    /// and non-finite doubles as `null`. Slashes are not escaped. Non-ASCII text is written
    /// as UTF-8; control characters are escaped. A U+0000 inside an object key is written
    /// as U+FFFD because json-c keys are C strings.
    ///
    /// - Parameters:
    ///   - value: The value to print.
    ///   - pretty: `false` prints compactly (`{"a":1}`); `true` prints with 2-space
    ///     indentation and `": "` (`{\n  "a": 1\n}`), with empty containers as `{}`/`[]`.
    /// - Returns: The JSON text, without a trailing newline.
    public static func serialize(_ value: JSONValue, pretty: Bool = false) -> String {
        JsonCTreeWriter.text(of: value, pretty: pretty)
    }
}
