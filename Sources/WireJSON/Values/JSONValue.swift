/// One JSON value as it travels on the wire or leaves the CLI as machine-readable output.
///
/// Integers and non-integral numbers are kept apart because json-c reports them as
/// different types, and callers of wire protocols (LSP ids, KV versions) need exact
/// integers rather than doubles. Equality is structural and therefore strict about
/// that split: `.int(1)` is not equal to `.double(1)`. Objects compare with their key
/// order, see ``JSONObject``.
public enum JSONValue: Sendable, Hashable {
    /// The JSON `null` literal.
    case null
    /// A JSON `true` or `false`.
    case bool(Bool)
    /// A JSON number written without fraction or exponent that fits a signed 64-bit integer.
    case int(Int64)
    /// Any other JSON number; non-finite values serialize as `null`.
    case double(Double)
    /// A JSON string; it may contain U+0000.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object with its key order kept.
    case object(JSONObject)
}
