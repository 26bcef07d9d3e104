// Optional-returning accessors keep call sites free of `switch` boilerplate and never
// trap, so values straight off the wire can be probed without validation first.

extension JSONValue {
    /// The member named `key` when this is an object that has it; otherwise `nil`.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` when this is an array and `index` is in bounds; otherwise `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else {
            return nil
        }
        return elements[index]
    }

    /// The payload of `.string`, or `nil` for every other case.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The payload of `.int`, or `nil` for every other case (doubles are not truncated).
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a `Double` for both `.int` and `.double`, or `nil` for non-numbers.
    ///
    /// Integers above 2^53 in magnitude lose precision in this conversion.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The payload of `.bool`, or `nil` for every other case.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of `.array`, or `nil` for every other case.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members of `.object`, or `nil` for every other case.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is the JSON `null` literal.
    public var isNull: Bool {
        self == .null
    }
}

extension JSONValue {
    /// The value's kind with an article, for messages that say what was found instead
    /// ("must be a string, found a number").
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
