import MeshSyntax

/// A literal default value, as documented and as emitted into the JSON Schema.
public enum SchemaLiteral: Sendable, Hashable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case string(String)
    case bool(Bool)

    /// The literal as JSON text (`5000`, `"round-robin"`).
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .bool(let value): String(value)
        }
    }
}

/// A constraint on strings that the validator checks by hand and the JSON Schema states
/// as an ECMA-262 regular expression, so both sides say the same thing.
public struct StringPattern: Sendable {
    /// The regular expression for the JSON Schema.
    public let regex: String
    /// What a valid value looks like, for messages ("a path starting with '/'").
    public let expectation: String
    /// The check itself.
    public let matches: @Sendable (String) -> Bool

    /// Creates a pattern.
    public init(regex: String, expectation: String, matches: @escaping @Sendable (String) -> Bool) {
        self.regex = regex
        self.expectation = expectation
        self.matches = matches
    }
}

/// One property of an object shape.
public struct SchemaProperty: Sendable {
    /// The key.
    public let name: String
    /// What its value must be.
    public let node: SchemaNode
    /// Whether the key must be present (DM204 when it is not).
    public let required: Bool
}

/// The shape of a JSON value in the config format.
public indirect enum SchemaKind: Sendable {
    /// A string, optionally one of `allowed` or matching `pattern`.
    case string(allowed: [String]?, pattern: StringPattern?)
    /// A whole number within bounds.
    case integer(minimum: Int?, maximum: Int?)
    /// A number within bounds.
    case number(minimum: Double?, maximum: Double?, exclusiveMinimum: Double?)
    case boolean
    /// An object with known keys; unknown keys are DM201.
    case object(properties: [SchemaProperty])
    /// An object whose keys are names chosen by the user (services, headers).
    case map(keyPattern: StringPattern?, keyCode: DiagnosticCode, keyWhat: String, value: SchemaNode)
    /// An array of items.
    case array(items: SchemaNode, minItems: Int)
    /// One of several shapes, told apart by JSON type (`3` or `{"attempts": 3}`).
    case anyOf([SchemaNode])
}

/// One node of the config format's schema: the single description that drives
/// validation, completion, hover, documentation and the generated JSON Schema.
public final class SchemaNode: Sendable {
    /// The shape.
    public let kind: SchemaKind
    /// A short noun for messages ("service", "rule", "endpoint").
    public let title: String
    /// Markdown documentation shown in hover, completion and the JSON Schema.
    public let doc: String
    /// The documented default, if any.
    public let defaultValue: SchemaLiteral?
    /// The code reported when the value has the right type but the wrong value
    /// (DM203 unless a more specific code such as DM507 or DM206 applies).
    public let valueCode: DiagnosticCode

    /// Creates a node.
    public init(
        _ kind: SchemaKind, title: String, doc: String, default defaultValue: SchemaLiteral? = nil,
        valueCode: DiagnosticCode = .valueOutOfRange
    ) {
        self.kind = kind
        self.title = title
        self.doc = doc
        self.defaultValue = defaultValue
        self.valueCode = valueCode
        if case .object(let properties) = kind {
            propertyNameBytes = properties.map { Array($0.name.utf8) }
        } else {
            propertyNameBytes = []
        }
    }

    /// The UTF-8 bytes of each property name, in order, so that keys can be matched
    /// against raw source bytes without decoding them.
    public let propertyNameBytes: [[UInt8]]

    /// The properties of an object node (empty for other kinds).
    public var properties: [SchemaProperty] {
        if case .object(let properties) = kind { return properties }
        return []
    }

    /// The property named `name` of an object node.
    public func property(_ name: String) -> SchemaProperty? {
        properties.first { $0.name == name }
    }

    /// The JSON types the node accepts, for "expected ..." messages.
    public var typeNames: [String] {
        switch kind {
        case .string: ["string"]
        case .integer: ["integer"]
        case .number: ["number"]
        case .boolean: ["boolean"]
        case .object, .map: ["object"]
        case .array: ["array"]
        case .anyOf(let alternatives): alternatives.flatMap { $0.typeNames }
        }
    }

    /// The values an enum-like string node allows (also those of string alternatives).
    public var allowedValues: [String] {
        switch kind {
        case .string(let allowed, _): allowed ?? []
        case .anyOf(let alternatives): alternatives.flatMap { $0.allowedValues }
        default: []
        }
    }

    /// The node for the value under `path` (keys and indices), following objects, maps,
    /// arrays and object alternatives; nil when the path leaves the schema.
    public func node(at path: [PathComponent]) -> SchemaNode? {
        guard let first = path.first else { return self }
        let rest = Array(path.dropFirst())
        switch (kind, first) {
        case (.object(let properties), .key(let name)):
            return properties.first { $0.name == name }?.node.node(at: rest)
        case (.map(_, _, _, let value), .key):
            return value.node(at: rest)
        case (.array(let items, _), .index):
            return items.node(at: rest)
        case (.anyOf(let alternatives), _):
            for alternative in alternatives {
                if let found = alternative.node(at: path) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
