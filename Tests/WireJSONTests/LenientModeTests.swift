import Testing
import WireJSON

/// Asserts that lenient parsing turns `input` into `expected`, or rejects it when
/// `expected` is `nil`.
private func check(_ input: String, _ expected: JSONValue?, sourceLocation: SourceLocation = #_sourceLocation) {
    let result = WireJSON.parse(input, strict: false)
    if let expected {
        #expect(result == .success(expected), "input: \(input)", sourceLocation: sourceLocation)
    } else {
        #expect(throws: WireJSONError.self, "input: \(input)", sourceLocation: sourceLocation) { try result.get() }
    }
}

/// json-c's lenient dialect, and the limits that still hold in it.
private let lenientCases: [(String, JSONValue?)] = [
    ("/* head */ {\"a\": 1, // note\n \"b\": [1, 2,],}", ["a": 1, "b": [1, 2]]),
    ("[1] // trailing comment", [1]),
    ("[1] /* trailing */ \n", [1]),
    ("['single', \"double\"]", ["single", "double"]),
    ("[01, TRUE, 1.]", [1, true, 1.0]),
    ("{\"a\":1,\"a\":2}", ["a": 2]),
    ("[1] x", nil),
    ("[99999999999999999999]", nil),
    ("[-9223372036854775809]", nil),
    ("{\"a\\u0000\":1}", nil),
    ("{'k\\u0000' /* c */ : 1}", nil),
    ("[\"/* not a comment */\", '// nor this']", ["/* not a comment */", "// nor this"]),
    ("", nil),
]

@Test("Lenient mode accepts json-c's extensions", arguments: lenientCases)
func lenientDialect(input: String, expected: JSONValue?) {
    check(input, expected)
}

@Test("Lenient mode keeps NaN and Infinity as json-c reads them")
func lenientNonFinite() throws {
    let values = try WireJSON.parse("[NaN, Infinity, -Infinity]", strict: false).get()
    #expect(values[0]?.doubleValue?.isNaN == true)
    #expect(values[1] == .double(.infinity))
    #expect(values[2] == .double(-.infinity))
}

@Test("Lenient mode repairs ill-formed UTF-8 but still rejects NUL bytes")
func lenientBytes() {
    #expect(WireJSON.parse([0x22, 0x61, 0xFF, 0x22], strict: false) == .success("a\u{FFFD}"))
    #expect(throws: WireJSONError.self) { try WireJSON.parse([0x5B, 0x31, 0x5D, 0x00], strict: false).get() }
}
