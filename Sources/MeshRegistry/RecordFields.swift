import WireJSON

/// Typed access to the members of a registry value's JSON object, where every mismatch
/// becomes ``RegistryError/corrupt(_:)`` naming the key and the member: values come from
/// a store that anything (an old prober, `kv put`, a Worker) may have written.
struct RecordFields {
    /// The object being read.
    let object: JSONObject
    /// What is being read, for messages: the KV key, or a description when unknown.
    let subject: String
    /// The dotted path of this object inside the value (`""` at the top).
    let path: String

    /// Parses `bytes` as one strict JSON object.
    static func parse(_ bytes: [UInt8], subject: String) throws(RegistryError) -> RecordFields {
        switch WireJSON.parse(bytes) {
        case .success(.object(let object)):
            return RecordFields(object: object, subject: subject, path: "")
        case .success(let other):
            throw .corrupt("\(subject): expected a JSON object, found \(kind(of: other))")
        case .failure(let error):
            throw .corrupt("\(subject): the value is not JSON (\(error))")
        }
    }

    /// Parses metadata text, which KV stores as JSON text.
    static func parse(metadata text: String, subject: String) throws(RegistryError) -> RecordFields {
        try parse(Array(text.utf8), subject: subject + " metadata")
    }

    // MARK: Members

    func string(_ name: String) throws(RegistryError) -> String {
        guard let value = try optionalString(name) else { throw missing(name, "a string") }
        return value
    }

    /// A string, or nil when the member is absent or `null`.
    func optionalString(_ name: String) throws(RegistryError) -> String? {
        guard let value = present(name) else { return nil }
        guard let text = value.stringValue else { throw wrong(name, "a string", value) }
        return text
    }

    func int64(_ name: String) throws(RegistryError) -> Int64 {
        guard let value = try optionalInt64(name) else { throw missing(name, "an integer") }
        return value
    }

    /// An integer; a double with no fraction is accepted because other writers (JavaScript)
    /// may print `1764374400000.0`-style numbers for what are integers to them.
    func optionalInt64(_ name: String) throws(RegistryError) -> Int64? {
        guard let value = present(name) else { return nil }
        if let integer = value.intValue { return integer }
        if let double = value.doubleValue, double.rounded() == double, abs(double) < 9.0e15 { return Int64(double) }
        throw wrong(name, "an integer", value)
    }

    /// A count: a non-negative integer that fits `Int`.
    func count(_ name: String) throws(RegistryError) -> Int {
        let value = try int64(name)
        guard value >= 0, let count = Int(exactly: value) else { throw .corrupt("\(subject): \(qualified(name)) must not be negative") }
        return count
    }

    func optionalDouble(_ name: String) throws(RegistryError) -> Double? {
        guard let value = present(name) else { return nil }
        guard let number = value.doubleValue else { throw wrong(name, "a number", value) }
        return number
    }

    func double(_ name: String) throws(RegistryError) -> Double {
        guard let value = try optionalDouble(name) else { throw missing(name, "a number") }
        return value
    }

    func optionalBool(_ name: String) throws(RegistryError) -> Bool? {
        guard let value = present(name) else { return nil }
        guard let flag = value.boolValue else { throw wrong(name, "true or false", value) }
        return flag
    }

    func object(_ name: String) throws(RegistryError) -> RecordFields {
        guard let value = try optionalObject(name) else { throw missing(name, "an object") }
        return value
    }

    func optionalObject(_ name: String) throws(RegistryError) -> RecordFields? {
        guard let value = present(name) else { return nil }
        guard let members = value.objectValue else { throw wrong(name, "an object", value) }
        return RecordFields(object: members, subject: subject, path: qualified(name))
    }

    func array(_ name: String) throws(RegistryError) -> [JSONValue] {
        guard let value = present(name) else { throw missing(name, "an array") }
        guard let elements = value.arrayValue else { throw wrong(name, "an array", value) }
        return elements
    }

    /// One of a fixed set of strings.
    func choice<Choice: RawRepresentable<String>>(_ name: String, _ type: Choice.Type, allowed: [Choice]) throws(RegistryError) -> Choice {
        let text = try string(name)
        guard let value = Choice(rawValue: text), allowed.contains(where: { $0.rawValue == value.rawValue }) else {
            let names = allowed.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw .corrupt("\(subject): \(qualified(name)) is '\(text)'; expected one of \(names)")
        }
        return value
    }

    /// The element of an array member at `index`, as an object.
    func element(_ value: JSONValue, of name: String, at index: Int) throws(RegistryError) -> RecordFields {
        guard let members = value.objectValue else { throw wrong("\(name)[\(index)]", "an object", value) }
        return RecordFields(object: members, subject: subject, path: qualified("\(name)[\(index)]"))
    }

    // MARK: Messages

    /// The member unless it is absent or `null`: optional members may be written either way.
    private func present(_ name: String) -> JSONValue? {
        guard let value = object[name], !value.isNull else { return nil }
        return value
    }

    func qualified(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    private func missing(_ name: String, _ expected: String) -> RegistryError {
        .corrupt("\(subject): \(qualified(name)) is missing or null; expected \(expected)")
    }

    func wrong(_ name: String, _ expected: String, _ value: JSONValue) -> RegistryError {
        .corrupt("\(subject): \(qualified(name)) must be \(expected), found \(Self.kind(of: value))")
    }

    static func kind(of value: JSONValue) -> String {
        value.kindDescription
    }
}

/// Shorthands for building values in the documented key order.
extension JSONValue {
    /// A string, or `null` when absent.
    static func orNull(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// An integer, or `null` when absent.
    static func orNull(_ number: Int64?) -> JSONValue {
        number.map(JSONValue.int) ?? .null
    }

    /// A double, or `null` when absent or not finite (JSON has no NaN).
    static func orNull(_ number: Double?) -> JSONValue {
        guard let number, number.isFinite else { return .null }
        return .double(number)
    }
}
