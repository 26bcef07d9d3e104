import MeshSyntax
import WireJSON

/// Typed access to the params of a message, with `-32602` errors that name the field.
///
/// Absent and `null` members read as nil for the optional accessors; a member of the
/// wrong type is always an error, never silently ignored.
struct ParamsReader: Sendable {
    /// The object being read.
    let object: JSONObject
    /// Where it is in the params (`params.textDocument`), for messages.
    let path: String

    /// Reads `value`, which must be an object.
    init(_ value: JSONValue?, path: String = "params") throws(ResponseError) {
        guard let object = value?.objectValue else {
            throw .invalidParams("\(path) must be an object")
        }
        self.object = object
        self.path = path
    }

    /// The raw member.
    subscript(key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(ResponseError) -> String {
        guard let value = try optionalString(key) else { throw missing(key, "a string") }
        return value
    }

    func optionalString(_ key: String) throws(ResponseError) -> String? {
        guard let value = self[key] else { return nil }
        guard let text = value.stringValue else { throw wrongType(key, "a string", value) }
        return text
    }

    /// An LSP `integer`/`uinteger` member (a JSON number without fraction).
    func int(_ key: String) throws(ResponseError) -> Int {
        guard let value = try optionalInt(key) else { throw missing(key, "an integer") }
        return value
    }

    func optionalInt(_ key: String) throws(ResponseError) -> Int? {
        guard let value = self[key] else { return nil }
        if let number = value.intValue, let int = Int(exactly: number) { return int }
        if let number = value.doubleValue, number.rounded() == number, abs(number) < 9e15 { return Int(number) }
        throw wrongType(key, "an integer", value)
    }

    func optionalBool(_ key: String) throws(ResponseError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard let flag = value.boolValue else { throw wrongType(key, "a boolean", value) }
        return flag
    }

    func object(_ key: String) throws(ResponseError) -> ParamsReader {
        guard let reader = try optionalObject(key) else { throw missing(key, "an object") }
        return reader
    }

    func optionalObject(_ key: String) throws(ResponseError) -> ParamsReader? {
        guard let value = self[key] else { return nil }
        guard value.objectValue != nil else { throw wrongType(key, "an object", value) }
        return try ParamsReader(value, path: "\(path).\(key)")
    }

    func array(_ key: String) throws(ResponseError) -> [JSONValue] {
        guard let value = try optionalArray(key) else { throw missing(key, "an array") }
        return value
    }

    func optionalArray(_ key: String) throws(ResponseError) -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard let elements = value.arrayValue else { throw wrongType(key, "an array", value) }
        return elements
    }

    /// The elements of an array member that are objects, each as a reader.
    func objects(_ key: String) throws(ResponseError) -> [ParamsReader] {
        var readers: [ParamsReader] = []
        for (index, element) in try array(key).enumerated() {
            readers.append(try ParamsReader(element, path: "\(path).\(key)[\(index)]"))
        }
        return readers
    }

    // MARK: LSP basics

    /// `textDocument.uri`.
    func textDocumentURI() throws(ResponseError) -> String {
        try object("textDocument").string("uri")
    }

    /// A `Position`: a line and a character, both non-negative.
    func position(_ key: String = "position") throws(ResponseError) -> LinePosition {
        let reader = try object(key)
        let line = try reader.int("line")
        let character = try reader.int("character")
        guard line >= 0, character >= 0 else {
            throw .invalidParams("\(reader.path) must have a non-negative line and character")
        }
        return LinePosition(line: line, character: character)
    }

    /// A `Range`.
    func range(_ key: String = "range") throws(ResponseError) -> (start: LinePosition, end: LinePosition) {
        let reader = try object(key)
        return (try reader.position("start"), try reader.position("end"))
    }

    private func missing(_ key: String, _ what: String) -> ResponseError {
        .invalidParams("\(path).\(key) is required and must be \(what)")
    }

    private func wrongType(_ key: String, _ what: String, _ value: JSONValue) -> ResponseError {
        .invalidParams("\(path).\(key) must be \(what), not \(IncomingMessage.kindName(value))")
    }
}
