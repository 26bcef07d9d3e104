import Testing
import WireJSON

/// Asserts that `input` parses in strict mode to exactly `expected`.
private func check(_ input: String, _ expected: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(WireJSON.parse(input) == .success(expected), "input: \(input)", sourceLocation: sourceLocation)
}

/// One row per JSON type, plus the number shapes that decide between `.int` and `.double`.
private let everyType: [(String, JSONValue)] = [
    ("null", .null),
    ("true", .bool(true)),
    ("false", .bool(false)),
    ("0", .int(0)),
    ("-0", .int(0)),
    ("42", .int(42)),
    ("-17", .int(-17)),
    ("9223372036854775807", .int(.max)),
    ("-9223372036854775808", .int(.min)),
    ("1.5", .double(1.5)),
    ("-0.25", .double(-0.25)),
    ("1e3", .double(1000)),
    ("1E+3", .double(1000)),
    ("2.5e-3", .double(0.0025)),
    ("1.0", .double(1)),
    ("1e-400", .double(0)),
    ("\"\"", .string("")),
    ("\"mesh\"", .string("mesh")),
    ("[]", .array([])),
    ("[1,\"a\",null,true,2.5]", [1, "a", nil, true, 2.5]),
    ("{}", .object([:])),
    ("{\"a\":1,\"b\":[false],\"c\":{\"d\":null}}", ["a": 1, "b": [false], "c": ["d": nil]]),
    (" \t\r\n[ 1 , 2 ] \n", [1, 2]),
]

@Test("Strict parse yields every JSON type", arguments: everyType)
func parsesEveryType(input: String, expected: JSONValue) {
    check(input, expected)
}

@Test("Bytes and text inputs parse alike")
func bytesAndTextAgree() {
    let text = "{\"k\":[1,2.5,\"ü\"]}"
    #expect(WireJSON.parse(Array(text.utf8)) == WireJSON.parse(text))
}

@Test("Negative zero keeps its sign only as a double")
func negativeZero() throws {
    let double = try WireJSON.parse("-0.0").get().doubleValue
    #expect(double == 0 && double?.sign == .minus)
    #expect(try WireJSON.parse("-0").get() == .int(0))
}
