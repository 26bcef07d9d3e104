/// Typed access to the members of one JSON object, where every mismatch becomes the
/// caller's own error type.
///
/// The language server reads request params with it (a mismatch is a JSON-RPC `-32602`)
/// and the registry reads stored records with it (a mismatch is a corrupt record): the
/// rules are the same, only the wording of the error differs, so each caller supplies a
/// function from ``MemberProblem`` to its error and everything else lives here.
///
/// Absent and `null` members read as nil for the optional accessors, since other writers
/// put optional members either way; a member of the wrong kind is always an error, never
/// silently ignored.
public struct MemberReader<Failure: Error>: Sendable {
    /// The object being read.
    public let object: JSONObject
    /// The dotted path of this object inside the value being read (`params.textDocument`),
    /// or `""` at the top of a value whose messages name it some other way.
    public let path: String
    /// Turns a problem into the caller's error.
    public let failure: @Sendable (MemberProblem) -> Failure

    /// Reads `object`, found at `path`, reporting problems through `failure`.
    public init(object: JSONObject, path: String, failure: @escaping @Sendable (MemberProblem) -> Failure) {
        self.object = object
        self.path = path
        self.failure = failure
    }

    /// The member, unless it is absent or `null`.
    public subscript(key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// The path of member `key` (`params.position`, or `key` at the top).
    public func qualified(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    // MARK: Scalars

    public func string(_ key: String) throws(Failure) -> String {
        guard let value = try optionalString(key) else { throw missing(key, .string) }
        return value
    }

    public func optionalString(_ key: String) throws(Failure) -> String? {
        guard let value = self[key] else { return nil }
        guard let text = value.stringValue else { throw wrongKind(key, .string, value) }
        return text
    }

    public func int64(_ key: String) throws(Failure) -> Int64 {
        guard let value = try optionalInt64(key) else { throw missing(key, .integer) }
        return value
    }

    /// An integer; a double with no fraction is accepted because other writers
    /// (JavaScript) may print `1764374400000.0` for what is an integer to them.
    public func optionalInt64(_ key: String) throws(Failure) -> Int64? {
        guard let value = self[key] else { return nil }
        if let integer = value.intValue { return integer }
        if let double = value.doubleValue, double.rounded() == double, abs(double) < 9.0e15 { return Int64(double) }
        throw wrongKind(key, .integer, value)
    }

    public func int(_ key: String) throws(Failure) -> Int {
        guard let value = try optionalInt(key) else { throw missing(key, .integer) }
        return value
    }

    /// An integer that fits `Int`.
    public func optionalInt(_ key: String) throws(Failure) -> Int? {
        guard let value = try optionalInt64(key) else { return nil }
        guard let int = Int(exactly: value) else { throw wrongKind(key, .integer, .int(value)) }
        return int
    }

    /// A count: a non-negative integer that fits `Int`.
    public func count(_ key: String) throws(Failure) -> Int {
        let value = try int64(key)
        guard value >= 0, let count = Int(exactly: value) else { throw invalid(key, "must not be negative") }
        return count
    }

    public func double(_ key: String) throws(Failure) -> Double {
        guard let value = try optionalDouble(key) else { throw missing(key, .number) }
        return value
    }

    public func optionalDouble(_ key: String) throws(Failure) -> Double? {
        guard let value = self[key] else { return nil }
        guard let number = value.doubleValue else { throw wrongKind(key, .number, value) }
        return number
    }

    public func optionalBool(_ key: String) throws(Failure) -> Bool? {
        guard let value = self[key] else { return nil }
        guard let flag = value.boolValue else { throw wrongKind(key, .boolean, value) }
        return flag
    }

    /// One of a fixed set of strings.
    public func choice<Choice: RawRepresentable<String>>(
        _ key: String, _ type: Choice.Type, allowed: [Choice]
    ) throws(Failure) -> Choice {
        let text = try string(key)
        guard let value = Choice(rawValue: text), allowed.contains(where: { $0.rawValue == value.rawValue }) else {
            let names = allowed.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw invalid(key, "is '\(text)'; expected one of \(names)")
        }
        return value
    }

    // MARK: Containers

    public func object(_ key: String) throws(Failure) -> MemberReader {
        guard let reader = try optionalObject(key) else { throw missing(key, .object) }
        return reader
    }

    public func optionalObject(_ key: String) throws(Failure) -> MemberReader? {
        guard let value = self[key] else { return nil }
        guard let members = value.objectValue else { throw wrongKind(key, .object, value) }
        return MemberReader(object: members, path: qualified(key), failure: failure)
    }

    public func array(_ key: String) throws(Failure) -> [JSONValue] {
        guard let value = try optionalArray(key) else { throw missing(key, .array) }
        return value
    }

    public func optionalArray(_ key: String) throws(Failure) -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard let elements = value.arrayValue else { throw wrongKind(key, .array, value) }
        return elements
    }

    /// Element `index` of array member `key`, which must be an object.
    public func element(_ value: JSONValue, of key: String, at index: Int) throws(Failure) -> MemberReader {
        let name = "\(key)[\(index)]"
        guard let members = value.objectValue else { throw wrongKind(name, .object, value) }
        return MemberReader(object: members, path: qualified(name), failure: failure)
    }

    /// The elements of array member `key`, each an object.
    public func objects(_ key: String) throws(Failure) -> [MemberReader] {
        var readers: [MemberReader] = []
        for (index, element) in try array(key).enumerated() {
            readers.append(try self.element(element, of: key, at: index))
        }
        return readers
    }

    // MARK: Problems

    /// The error for a required member that is absent or `null`.
    public func missing(_ key: String, _ expected: MemberKind) -> Failure {
        failure(.missing(member: qualified(key), expected: expected))
    }

    /// The error for a member of the wrong kind.
    public func wrongKind(_ key: String, _ expected: MemberKind, _ found: JSONValue) -> Failure {
        failure(.wrongKind(member: qualified(key), expected: expected, found: found))
    }

    /// The error for a member of the right kind whose value is not allowed; `detail`
    /// finishes the sentence that the member's path starts ("must not be negative").
    public func invalid(_ key: String, _ detail: String) -> Failure {
        failure(.invalid(member: qualified(key), detail: detail))
    }
}

/// What kind of value a member must hold.
public enum MemberKind: Sendable, Equatable {
    case string
    case integer
    case number
    case boolean
    case object
    case array

    /// The kind with an article, for messages ("must be an integer").
    public var description: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        }
    }
}

/// Why a member could not be read; `member` is its full dotted path.
public enum MemberProblem: Sendable, Equatable {
    /// A required member is absent or `null`.
    case missing(member: String, expected: MemberKind)
    /// The member holds another kind of value.
    case wrongKind(member: String, expected: MemberKind, found: JSONValue)
    /// The member's value is of the right kind but not allowed; `detail` finishes the
    /// sentence that `member` starts.
    case invalid(member: String, detail: String)
}
