extension StrictJSONReader {
    /// One JSON value as the reader reads it: the whole value, decoded.
    ///
    /// It is for the small, machine-written inputs of the edge router and the CLI (a request,
    /// the registry's health, a list of URLs), where a value is read once, member by member,
    /// and then dropped. Configs, which an editor shows and positions matter in, are read by
    /// ``JSONParser`` into a ``SyntaxTree`` instead.
    public enum Value: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        /// The members in document order, a repeated name as often as it is written.
        case object([Member])

        /// The value of the member named `name`, byte for byte, of an object; the last one when
        /// the name is repeated, as `JSON.parse` keeps it. Nil for another kind of value.
        public func member(_ name: String) -> Value? {
            guard case .object(let members) = self else { return nil }
            return members.last { $0.name.hasSameBytes(as: name) }?.value
        }

        /// The members of an object; nil for another kind of value.
        public var members: [Member]? {
            if case .object(let members) = self { members } else { nil }
        }

        /// The elements of an array; nil for another kind of value.
        public var elements: [Value]? {
            if case .array(let elements) = self { elements } else { nil }
        }

        /// The text of a string; nil for another kind of value.
        public var string: String? {
            if case .string(let text) = self { text } else { nil }
        }

        /// The value of a number; nil for another kind of value.
        public var number: Double? {
            if case .number(let value) = self { value } else { nil }
        }

        /// The value of `true` or `false`; nil for another kind of value.
        public var bool: Bool? {
            if case .bool(let value) = self { value } else { nil }
        }

        /// Whether this is `null`.
        public var isNull: Bool {
            if case .null = self { true } else { false }
        }

        /// What kind of value this is, for a message: "an object", "a number", "null"; the
        /// words ``SyntaxKind/nounPhrase`` uses for the same kinds.
        public var nounPhrase: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// One member of a JSON object.
    public struct Member: Sendable {
        /// The member's name, decoded.
        public var name: String
        /// The member's value.
        public var value: Value

        /// Creates a member.
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }
}
