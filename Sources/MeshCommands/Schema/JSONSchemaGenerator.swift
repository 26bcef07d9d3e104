import MeshConfig
import WireJSON

/// Turns ``MeshSchema`` into a JSON Schema (draft 2020-12) so plain JSON editors get the
/// same completion, hover and validation as the language server.
public enum JSONSchemaGenerator {
    /// The `$id` of the generated schema.
    public static let schemaID = "https://github.com/diddy-mesh/diddy-mesh/raw/main/schemas/diddy-mesh.schema.json"

    /// The schema document.
    public static func schema() -> JSONValue {
        guard case .object(var root) = node(MeshSchema.root) else { return .null }
        var document: JSONObject = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": .string(schemaID),
            "title": "Diddy-Mesh config",
        ]
        for (key, value) in root where key != "title" {
            document[key] = value
        }
        root = document
        return .object(root)
    }

    /// The schema as the bytes of `schemas/diddy-mesh.schema.json` (with a final newline).
    public static func text() -> String {
        WireJSON.serialize(schema(), pretty: true) + "\n"
    }

    static func node(_ node: SchemaNode) -> JSONValue {
        var object: JSONObject = [:]
        switch node.kind {
        case .string(let allowed, let pattern):
            object["type"] = "string"
            if let allowed { object["enum"] = .array(allowed.map { .string($0) }) }
            if let pattern { object["pattern"] = .string(pattern.regex) }
        case .integer(let minimum, let maximum):
            object["type"] = "integer"
            if let minimum { object["minimum"] = .int(Int64(minimum)) }
            if let maximum { object["maximum"] = .int(Int64(maximum)) }
        case .number(let minimum, let maximum, let exclusiveMinimum):
            object["type"] = "number"
            if let minimum { object["minimum"] = JSONValue.number(minimum) }
            if let maximum { object["maximum"] = JSONValue.number(maximum) }
            if let exclusiveMinimum { object["exclusiveMinimum"] = JSONValue.number(exclusiveMinimum) }
        case .boolean:
            object["type"] = "boolean"
        case .object(let properties):
            object["type"] = "object"
            var schemaProperties = JSONObject()
            for property in properties {
                schemaProperties[property.name] = Self.node(property.node)
            }
            object["properties"] = .object(schemaProperties)
            let required = properties.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { object["required"] = .array(required) }
            object["additionalProperties"] = false
        case .map(let keyPattern, _, _, let value):
            object["type"] = "object"
            if let keyPattern { object["propertyNames"] = ["pattern": .string(keyPattern.regex)] }
            object["additionalProperties"] = Self.node(value)
        case .array(let items, let minItems):
            object["type"] = "array"
            object["items"] = Self.node(items)
            if minItems > 0 { object["minItems"] = .int(Int64(minItems)) }
        case .anyOf(let alternatives):
            object["anyOf"] = .array(alternatives.map(Self.node))
        }
        object["title"] = .string(node.title)
        object["description"] = .string(node.doc)
        object["markdownDescription"] = .string(node.doc)
        if let value = node.defaultValue {
            object["default"] = literal(value)
        }
        return .object(object)
    }

    static func literal(_ value: SchemaLiteral) -> JSONValue {
        switch value {
        case .integer(let number): .int(Int64(number))
        case .number(let number): .double(number)
        case .string(let text): .string(text)
        case .bool(let flag): .bool(flag)
        }
    }
}
