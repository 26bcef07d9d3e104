import Testing
import WireJSON

/// Asserts the exact compact text json-c prints for `value`.
private func check(_ value: JSONValue, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(WireJSON.serialize(value) == expected, sourceLocation: sourceLocation)
}

/// Doubles print as Swift's shortest round-trip text; non-finite ones become `null`.
private let doubleTexts: [(Double, String)] = [
    (0.1, "0.1"),
    (0.1 + 0.2, "0.30000000000000004"),
    (1e300, "1e+300"),
    (2.0, "2.0"),
    (-0.0, "-0.0"),
    (.leastNonzeroMagnitude, "5e-324"),
    (1e-7, "1e-07"),
    (123.456, "123.456"),
    (1e16, "1e+16"),
    (.infinity, "null"),
    (-.infinity, "null"),
    (.nan, "null"),
]

@Test("Doubles use the shortest round-trip text", arguments: doubleTexts)
func doubleFormatting(number: Double, expected: String) {
    check(.double(number), expected)
}

/// Scalars, escaping (slash kept, controls escaped, UTF-8 raw) and compact containers.
private let compactTexts: [(JSONValue, String)] = [
    (nil, "null"),
    (true, "true"),
    (.int(.min), "-9223372036854775808"),
    ("a/b", "\"a/b\""),
    ("\u{0}\u{1F}\"\\\n\t\u{8}\u{C}\r", "\"\\u0000\\u001f\\\"\\\\\\n\\t\\b\\f\\r\""),
    ("é😀", "\"é😀\""),
    ([], "[]"),
    ([:], "{}"),
    (["z": 1, "a": [nil, 2.5], "m": [:]], "{\"z\":1,\"a\":[null,2.5],\"m\":{}}"),
    (["a\u{0}b": 1], "{\"a\u{FFFD}b\":1}"),
    ([.double(.nan)], "[null]"),
]

@Test("Compact output", arguments: compactTexts)
func compactOutput(value: JSONValue, expected: String) {
    check(value, expected)
}

@Test("Pretty output is conventional 2-space JSON")
func prettyOutput() {
    let value: JSONValue = ["name": "mesh/edge", "ports": [80, 443], "tls": nil, "meta": [:], "tags": []]
    let expected = """
        {
          "name": "mesh/edge",
          "ports": [
            80,
            443
          ],
          "tls": null,
          "meta": {},
          "tags": []
        }
        """
    #expect(WireJSON.serialize(value, pretty: true) == expected)
    #expect(WireJSON.serialize([:], pretty: true) == "{}")
    #expect(WireJSON.serialize([], pretty: true) == "[]")
    #expect(WireJSON.serialize("x", pretty: true) == "\"x\"")
}

@Test("description is the compact serialization")
func descriptionIsCompact() {
    let value: JSONValue = ["a": [1, "b"]]
    #expect(value.description == "{\"a\":[1,\"b\"]}")
    #expect(value.objectValue?.description == value.description)
}
