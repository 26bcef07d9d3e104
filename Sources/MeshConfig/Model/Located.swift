import MeshSyntax

/// A value read from the config together with the bytes it came from.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public var value: Value
    /// The range of the JSON value in the source (for strings: quotes included).
    public var range: ByteRange

    /// Creates a located value.
    public init(_ value: Value, at range: ByteRange) {
        self.value = value
        self.range = range
    }
}
