/// Short, human type descriptions of schema nodes (`integer 1..30000`, `array of endpoint`),
/// shared by the generated config reference and anything else that explains a key.
///
/// The language server's hover uses it too, so the reference page and a hover over the
/// same key say the same thing.
public enum SchemaTypeText {
    /// A short type such as `integer 1..30000`, `string`, `array of endpoint`.
    public static func describe(_ node: SchemaNode) -> String {
        switch node.kind {
        case .string(let allowed, let pattern):
            if let allowed, !allowed.isEmpty { return "string (one of \(allowed.count))" }
            if let pattern { return "string (\(pattern.expectation))" }
            return "string"
        case .integer(let minimum, let maximum):
            return "integer" + bounds(minimum.map(Double.init), maximum.map(Double.init))
        case .number(let minimum, let maximum, let exclusiveMinimum):
            if let exclusiveMinimum { return "number > \(format(exclusiveMinimum))" }
            return "number" + bounds(minimum, maximum)
        case .boolean:
            return "boolean"
        case .object:
            return "object"
        case .map(_, _, let keyWhat, let value):
            return "object (\(keyWhat) -> \(value.title))"
        case .array(let items, _):
            return "array of \(items.title)"
        case .anyOf(let alternatives):
            return alternatives.map(describe).joined(separator: " | ")
        }
    }

    /// A number as the docs write it: `30000`, not `30000.0`.
    public static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func bounds(_ minimum: Double?, _ maximum: Double?) -> String {
        switch (minimum, maximum) {
        case (let low?, let high?): " \(format(low))..\(format(high))"
        case (let low?, nil): " >= \(format(low))"
        case (nil, let high?): " <= \(format(high))"
        case (nil, nil): ""
        }
    }
}
