import Testing
import WireJSON

/// The accessor results expected for one value: string, int, double, bool, array count, object count.
struct AccessorExpectation: Sendable {
    var string: String?
    var int: Int64?
    var double: Double?
    var bool: Bool?
    var arrayCount: Int?
    var objectCount: Int?
}

/// Asserts every accessor of `value` against `expected`.
private func check(
    _ value: JSONValue, _ expected: AccessorExpectation, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(value.stringValue == expected.string, sourceLocation: sourceLocation)
    #expect(value.intValue == expected.int, sourceLocation: sourceLocation)
    #expect(value.doubleValue == expected.double, sourceLocation: sourceLocation)
    #expect(value.boolValue == expected.bool, sourceLocation: sourceLocation)
    #expect(value.arrayValue?.count == expected.arrayCount, sourceLocation: sourceLocation)
    #expect(value.objectValue?.count == expected.objectCount, sourceLocation: sourceLocation)
}

/// Each case answers only its own accessor, except that `doubleValue` also reads ints.
private let accessorCases: [(JSONValue, AccessorExpectation)] = [
    (nil, AccessorExpectation()),
    (true, AccessorExpectation(bool: true)),
    (7, AccessorExpectation(int: 7, double: 7)),
    (2.5, AccessorExpectation(double: 2.5)),
    ("s", AccessorExpectation(string: "s")),
    ([1, 2], AccessorExpectation(arrayCount: 2)),
    (["k": 1], AccessorExpectation(objectCount: 1)),
]

@Test("Accessors return payloads only for their own case", arguments: accessorCases)
func accessors(value: JSONValue, expected: AccessorExpectation) {
    check(value, expected)
}

@Test("Key and index subscripts never trap")
func subscripts() {
    let value: JSONValue = ["list": [10, 20], "flag": false]
    #expect(value["list"]?[1] == 20)
    #expect(value["list"]?[2] == nil)
    #expect(value["list"]?[-1] == nil)
    #expect(value["missing"] == nil)
    #expect(value[0] == nil)
    #expect(value["flag"]?["x"] == nil)
    #expect(JSONValue.null.isNull && !value.isNull)
}
