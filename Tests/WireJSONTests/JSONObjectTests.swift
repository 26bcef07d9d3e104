import Testing
import WireJSON

/// Asserts that `object` has exactly `keys` in that order.
private func check(_ object: JSONObject, _ keys: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(object.keys == keys, sourceLocation: sourceLocation)
    #expect(object.count == keys.count, sourceLocation: sourceLocation)
    #expect(object.map(\.key) == keys, sourceLocation: sourceLocation)
}

@Test("Parsing keeps key order and replaces duplicates in place")
func parsedKeyOrder() throws {
    check(try #require(WireJSON.parse("{\"z\":1,\"a\":2,\"m\":3}").get().objectValue), ["z", "a", "m"])
    let duplicated = try #require(WireJSON.parse("{\"a\":1,\"b\":2,\"a\":3}").get().objectValue)
    check(duplicated, ["a", "b"])
    #expect(duplicated["a"] == 3)
}

@Test("Serialization keeps key order")
func serializedKeyOrder() {
    let object: JSONObject = ["z": 1, "a": 2, "m": 3]
    #expect(WireJSON.serialize(.object(object)) == "{\"z\":1,\"a\":2,\"m\":3}")
}

@Test("Subscript assignment replaces in place, appends new keys and removes on nil")
func subscriptEditing() {
    var object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
    check(object, ["a", "b"])
    #expect(object["a"] == 3)
    object["c"] = "new"
    object["a"] = nil
    check(object, ["b", "c"])
    object["b"] = [true]
    object["a"] = 0
    check(object, ["b", "c", "a"])
    #expect(object["b"] == [true])
    object["missing"] = nil
    check(object, ["b", "c", "a"])
    #expect(!object.isEmpty && JSONObject().isEmpty)
    #expect(object.values == [[true], "new", 0])
}

@Test("Equality and hashing depend on key order")
func orderedEquality() {
    let ab: JSONObject = ["a": 1, "b": 2]
    var rebuilt = JSONObject()
    rebuilt["a"] = 1
    rebuilt["b"] = 2
    #expect(ab == rebuilt && ab.hashValue == rebuilt.hashValue)
    #expect(ab != ["b": 2, "a": 1])
}

@Test("Keys match by exact bytes, so canonically equivalent keys stay apart")
func exactKeys() throws {
    let composed = "\u{E9}"
    let decomposed = "e\u{301}"
    let parsed = try #require(WireJSON.parse("{\"\(composed)\":1,\"\(decomposed)\":2}").get().objectValue)
    check(parsed, [composed, decomposed])
    #expect(parsed[decomposed] == 2)

    // Past the size where the object keeps an index, lookups must behave the same.
    var large = JSONObject((0..<10).map { ("k\($0)", JSONValue.int(Int64($0))) })
    large[composed] = 1
    large[decomposed] = 2
    large["k3"] = nil
    #expect(large.count == 11 && large[composed] == 1 && large[decomposed] == 2 && large["k9"] == 9)
    #expect(large.keys.first == "k0" && large.keys.last == decomposed)
}
