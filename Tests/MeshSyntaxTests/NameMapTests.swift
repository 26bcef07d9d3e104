import MeshSyntax
import MeshTestSupport
import Testing

/// `NameMap` and `NameSet` key by UTF-8 bytes, and otherwise behave as `[String: Value]` and
/// `Set<String>` do: the same answers on random ASCII keys, where the two kinds of equality
/// agree, and distinct keys where only canonical equivalence would join them.
struct NameMapTests {
    static let names = ["a", "b", "A", "ab", "ba", "", "api", "api-v2", "x.y", "x-y", "service", "Service"]

    @Test("the same answers as a String-keyed dictionary on random ASCII edits")
    func agreesWithDictionary() {
        var random = SplitMix(seed: 0x4E41_4D45)
        var map: NameMap<Int> = [:]
        var reference: [String: Int] = [:]
        for step in 0..<5_000 {
            let name = Self.names[random.next(below: Self.names.count)]
            switch random.next(below: 4) {
            case 0:
                map[name] = step
                reference[name] = step
            case 1:
                #expect(map.removeValue(forKey: name) == reference.removeValue(forKey: name))
            case 2:
                map[name, default: 0] += 1
                reference[name, default: 0] += 1
            default:
                #expect(map[name] == reference[name], "\(name) at step \(step)")
            }
        }
        #expect(map.count == reference.count)
        #expect(Dictionary(uniqueKeysWithValues: map.map { ($0.key, $0.value) }) == reference)
        #expect(Set(map.keys) == Set(reference.keys))
        #expect(map.values.sorted() == reference.values.sorted())
    }

    @Test("names compare byte for byte: a decomposed é is another name")
    func bytesNotCanonicalEquivalence() {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed, "String's own equality joins them")
        var map: NameMap<Int> = [composed: 1]
        #expect(map[decomposed] == nil)
        map[decomposed] = 2
        #expect(map.count == 2 && map[composed] == 1 && map[decomposed] == 2)
        let set: NameSet = [composed]
        #expect(set.contains(composed) && !set.contains(decomposed))
        #expect(NameKey(composed) != NameKey(decomposed))
    }

    @Test("a map of maps grows in place; literals keep the last of a repeated name")
    func nestedAndLiterals() {
        var records: NameMap<NameMap<Int>> = [:]
        for service in ["api", "web", "api"] {
            for id in ["a", "b"] { records[service, default: [:]][id, default: 0] += 1 }
        }
        #expect(records["api"]?["a"] == 2 && records["web"]?["b"] == 1 && records["db"] == nil)
        let literal: NameMap<Int> = ["x": 1, "y": 2, "x": 3]
        #expect(literal.count == 2 && literal["x"] == 3)
        #expect(literal == ["y": 2, "x": 3] && literal != ["y": 2, "x": 1])
        #expect(literal.mapValues { $0 * 10 } == ["x": 30, "y": 20])
        #expect(NameMap<Int>().isEmpty && !literal.isEmpty)
    }

    @Test("sets: membership, insertion, subsets and disjoint sets")
    func sets() {
        var methods: NameSet = ["GET", "PUT"]
        #expect(methods.insert("POST") && !methods.insert("GET"))
        #expect(methods.count == 3 && methods.contains("POST") && !methods.contains("get"))
        #expect(NameSet(["GET"]).isSubset(of: methods) && !methods.isSubset(of: ["GET"]))
        #expect(methods.isDisjoint(with: ["PATCH"]) && !methods.isDisjoint(with: ["PUT", "PATCH"]))
        #expect(Set(methods) == ["GET", "PUT", "POST"])
        #expect(NameSet([]).isEmpty)
    }

    @Test(
        "order by bytes, and enum cases found by the bytes of their raw values",
        arguments: [("a", "b", true), ("b", "a", false), ("a", "a", false), ("", "a", true), ("Z", "a", true)])
    func byteOrder(first: String, second: String, precedes: Bool) {
        #expect(first.precedesByBytes(second) == precedes)
        #expect((first < second) == precedes, "the order String's < gives ASCII text")
    }

    enum Strategy: String, CaseIterable {
        case roundRobin = "round-robin"
        case random
    }

    @Test func rawBytes() {
        #expect(Strategy(rawBytes: "round-robin") == .roundRobin)
        #expect(Strategy(rawBytes: "random") == .random)
        #expect(Strategy(rawBytes: "Random") == nil)
        #expect(Strategy(rawBytes: "") == nil)
    }
}
