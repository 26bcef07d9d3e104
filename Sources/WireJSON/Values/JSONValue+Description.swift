extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of this value, as produced by `WireJSON.serialize(self)`.
    public var description: String {
        WireJSON.serialize(self)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of this object, as produced by `WireJSON.serialize(.object(self))`.
    public var description: String {
        WireJSON.serialize(.object(self))
    }
}
