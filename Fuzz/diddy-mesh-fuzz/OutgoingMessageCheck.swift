import WireJSON

/// The oracle of the fuzz target: what every message the server writes must be.
///
/// A message is checked the way a client sees it: serialized and parsed back as strict
/// JSON, then held to JSON-RPC 2.0 (a response has an id and exactly one of `result` and
/// `error`; an error has an integer code and a string message; a notification or request
/// has a string method and structured params) and to LSP's base types (every position has
/// non-negative integer `line` and `character`, and every range starts no later than it
/// ends).
enum OutgoingMessageCheck {
    /// Deeper than anything the server accepts (it parses with a depth limit of 512) plus
    /// the envelope around an echoed value.
    private static let maxDepth = 1024

    /// Why `message` is not a well-formed outgoing message, or nil when it is.
    static func violation(in message: JSONValue) -> String? {
        let text = WireJSON.serialize(message)
        let reparsed: JSONValue
        switch WireJSON.parse(Array(text.utf8), strict: true, maxDepth: maxDepth) {
        case .success(let value): reparsed = value
        case .failure(let error): return "the serialized message is not strict JSON (\(error)): \(excerpt(text))"
        }
        if let problem = envelopeViolation(reparsed) { return "\(problem): \(excerpt(text))" }
        if let problem = positionViolation(reparsed, path: "$") { return "\(problem): \(excerpt(text))" }
        return nil
    }

    // MARK: JSON-RPC

    private static func envelopeViolation(_ message: JSONValue) -> String? {
        guard let object = message.objectValue else { return "a message must be an object" }
        guard object["jsonrpc"] == .string("2.0") else { return "'jsonrpc' must be \"2.0\"" }
        if let method = object["method"] {
            guard let name = method.stringValue, !name.isEmpty else { return "'method' must be a non-empty string" }
            if object["result"] != nil || object["error"] != nil {
                return "a request or notification has no 'result' or 'error'"
            }
            if let params = object["params"], params.objectValue == nil, params.arrayValue == nil {
                return "'params' must be an object or an array"
            }
            if let id = object["id"], id.intValue == nil, id.stringValue == nil {
                return "a request id must be an integer or a string"
            }
            return unexpectedKeys(object, allowed: ["jsonrpc", "id", "method", "params"])
        }
        guard let id = object["id"] else { return "a response needs an 'id'" }
        guard id.intValue != nil || id.stringValue != nil || id.isNull else {
            return "a response id must be an integer, a string or null"
        }
        switch (object["result"], object["error"]) {
        case (nil, nil), (.some, .some):
            return "a response has exactly one of 'result' and 'error'"
        case (.some, nil):
            if id.isNull { return "a successful response cannot have a null id" }
        case (nil, .some(let error)):
            guard let fields = error.objectValue else { return "'error' must be an object" }
            guard fields["code"]?.intValue != nil else { return "'error.code' must be an integer" }
            guard fields["message"]?.stringValue != nil else { return "'error.message' must be a string" }
            if let problem = unexpectedKeys(fields, allowed: ["code", "message", "data"]) {
                return "in 'error': \(problem)"
            }
        }
        return unexpectedKeys(object, allowed: ["jsonrpc", "id", "result", "error"])
    }

    private static func unexpectedKeys(_ object: JSONObject, allowed: Set<String>) -> String? {
        let extra = object.keys.filter { !allowed.contains($0) }
        return extra.isEmpty ? nil : "unexpected member(s) \(extra.sorted())"
    }

    // MARK: LSP positions

    /// Walks the value; objects shaped like an LSP `Position` or `Range` must be valid.
    private static func positionViolation(_ value: JSONValue, path: String) -> String? {
        if let array = value.arrayValue {
            for (index, element) in array.enumerated() {
                if let problem = positionViolation(element, path: "\(path)[\(index)]") { return problem }
            }
            return nil
        }
        guard let object = value.objectValue else { return nil }
        if object.count == 2, let line = object["line"], let character = object["character"] {
            guard let line = line.intValue, line >= 0, let character = character.intValue, character >= 0 else {
                return "\(path) is a position with a negative or non-integer line or character"
            }
        }
        if object.count == 2, let start = object["start"], let end = object["end"],
            let from = position(start), let to = position(end), from > to
        {
            return
                "\(path) is a range that ends (\(to.line):\(to.character)) before it starts "
                + "(\(from.line):\(from.character))"
        }
        for key in object.keys.sorted() {
            if let member = object[key], let problem = positionViolation(member, path: "\(path).\(key)") {
                return problem
            }
        }
        return nil
    }

    private struct Position: Comparable {
        var line: Int64
        var character: Int64
        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.line, lhs.character) < (rhs.line, rhs.character)
        }
    }

    private static func position(_ value: JSONValue) -> Position? {
        guard let object = value.objectValue, object.count == 2,
            let line = object["line"]?.intValue, let character = object["character"]?.intValue
        else { return nil }
        return Position(line: line, character: character)
    }

    /// The first 300 bytes of a message, for the report.
    private static func excerpt(_ text: String) -> String {
        text.utf8.count <= 300 ? text : String(decoding: text.utf8.prefix(300), as: UTF8.self) + "…"
    }
}
