import Testing
import WireJSON

/// Asserts that `value` survives serialize-then-parse, compact and pretty.
private func check(_ value: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
    for pretty in [false, true] {
        let text = WireJSON.serialize(value, pretty: pretty)
        #expect(WireJSON.parse(text) == .success(value), "text: \(text)", sourceLocation: sourceLocation)
    }
}

/// Values covering every case, number extremes, awkward strings and key order.
private let roundTripValues: [JSONValue] = [
    nil,
    true,
    false,
    0,
    .int(.max),
    .int(.min),
    0.1,
    -2.5,
    1e300,
    -1e-300,
    .double(.leastNonzeroMagnitude),
    .double(.greatestFiniteMagnitude),
    123456789.125,
    2.0,
    1e16,
    "",
    "plain",
    "a/b\\c\"d",
    "\u{0}\u{1}\u{1F}\u{7F}\n\t",
    "😀 日本 é \u{2028}",
    [],
    [:],
    [[[]], [:], [1, [2, [3]]]],
    ["z": 1, "a": 2, "m": ["y": nil, "b": [true, 0.5]]],
    ["": "empty key", "with space": " ", "ключ": "值"],
]

@Test("parse(serialize(v)) == v", arguments: roundTripValues)
func roundTrip(value: JSONValue) {
    check(value)
}

@Test("Canonical compact text reprints byte for byte")
func textRoundTrip() throws {
    let text = "{\"z\":[1,2.5,\"x/y\",null,true,{}],\"a\":{\"k\":[]},\"\":-0.0}"
    #expect(WireJSON.serialize(try WireJSON.parse(text).get()) == text)
}

@Test("Parsing and printing from many tasks at once agree")
func concurrentUse() async {
    let text = "{\"a\":[1,2.5,\"x/y\"],\"b\":{\"c\":null,\"d\":\"日本\"}}"
    let allAgree = await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<64 {
            group.addTask { WireJSON.parse(text).map { WireJSON.serialize($0) } == .success(text) }
        }
        return await group.reduce(true) { $0 && $1 }
    }
    #expect(allAgree)
}
