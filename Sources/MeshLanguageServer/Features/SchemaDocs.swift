import MeshConfig
import MeshSyntax

/// Documentation of config keys, read from MeshSchema (the one description of the format),
/// for hover and completion.
enum SchemaDocs {
    /// The schema node of the value at `path`, if the path is in the format.
    static func node(at path: [PathComponent]) -> SchemaNode? {
        MeshSchema.root.node(at: path)
    }

    /// The properties of `node`, or of its object alternative (`retries` is `3` or an object).
    static func properties(of node: SchemaNode) -> [SchemaProperty] {
        switch node.kind {
        case .object(let properties): properties
        case .anyOf(let alternatives): alternatives.lazy.map(properties(of:)).first { !$0.isEmpty } ?? []
        default: []
        }
    }

    /// Markdown for `node` under `key`: type, documentation, default and allowed values.
    static func markdown(for node: SchemaNode, key: String?) -> String {
        var lines: [String] = []
        let heading = key.map { "`\($0)`" } ?? "**\(node.title)**"
        lines.append("\(heading): \(typeDescription(node))")
        lines.append("")
        lines.append(node.doc)
        if let defaultValue = node.defaultValue {
            lines.append("")
            lines.append("Default: `\(defaultValue)`")
        }
        let allowed = node.allowedValues
        if !allowed.isEmpty {
            lines.append("")
            lines.append(
                allowed.count <= 20
                    ? "Allowed: " + allowed.map { "`\($0)`" }.joined(separator: ", ")
                    : "Allowed: \(allowed.count) codes, e.g. "
                        + allowed.prefix(6).map { "`\($0)`" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// A short type such as `integer 1..30000`, `string`, `array of endpoint`; the same
    /// wording as the generated config reference.
    static func typeDescription(_ node: SchemaNode) -> String {
        SchemaTypeText.describe(node)
    }

    // MARK: Insert texts

    /// What completing `name` inserts: `"name": value`, the value as a snippet placeholder
    /// (the default, a choice of the allowed values, or an empty container) when the
    /// client takes snippets, else as plain text.
    static func keyInsertText(name: String, node: SchemaNode, snippet: Bool) -> String {
        "\"\(name)\": " + (snippet ? valueSnippet(node) : plainValue(node))
    }

    static func valueSnippet(_ node: SchemaNode) -> String {
        let allowed = node.allowedValues
        if node.defaultValue == nil, case .string = node.kind, !allowed.isEmpty {
            return "\"${1|\(allowed.map(escapeChoice).joined(separator: ","))|}\""
        }
        if let defaultValue = node.defaultValue {
            switch defaultValue {
            case .string(let text):
                if !allowed.isEmpty {
                    return
                        "\"${1|\(([text] + allowed.filter { $0 != text }).map(escapeChoice).joined(separator: ","))|}\""
                }
                return "\"${1:\(escapePlaceholder(text))}\""
            case .integer(let value): return "${1:\(value)}"
            case .number(let value): return "${1:\(value)}"
            case .bool(let value): return value ? "${1|true,false|}" : "${1|false,true|}"
            }
        }
        switch node.kind {
        case .string: return "\"$1\""
        case .integer, .number: return "${1:0}"
        case .boolean: return "${1|true,false|}"
        case .object, .map: return "{$1}"
        case .array: return "[$1]"
        case .anyOf(let alternatives): return alternatives.first.map(valueSnippet) ?? "$1"
        }
    }

    static func plainValue(_ node: SchemaNode) -> String {
        if let defaultValue = node.defaultValue { return defaultValue.description }
        switch node.kind {
        case .string: return "\"\""
        case .integer, .number: return "0"
        case .boolean: return "false"
        case .object, .map: return "{}"
        case .array: return "[]"
        case .anyOf(let alternatives): return alternatives.first.map(plainValue) ?? "null"
        }
    }

    /// `$`, `}` and `\` are snippet syntax inside a placeholder.
    private static func escapePlaceholder(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "$" || character == "}" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// `,`, `|`, `$`, `}` and `\` are snippet syntax inside a choice.
    private static func escapeChoice(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if ",|$}\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
