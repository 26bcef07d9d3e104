import Testing

@testable import MeshSyntax

/// Duplicate keys in objects on both sides of the key tracker's switch from a linear scan
/// to a hash table (above 16 keys): keys of one length, keys that differ only in their
/// middle, escaped keys that decode equal to plain ones, duplicates far apart and nested
/// objects, each diagnostic compared exactly with what an independent model expects.
@Suite("Duplicate keys")
struct DuplicateKeyTests {
    /// A key as written between its quotes (`raw`) and as decoded (`name`).
    struct Key: Sendable {
        let raw: String
        let name: String

        init(_ raw: String, name: String? = nil) {
            self.raw = raw
            self.name = name ?? raw
        }
    }

    /// A member's value: a number, or an object of its own.
    indirect enum Value: Sendable {
        case number
        case object([(Key, Value)])
    }

    /// The text of `members` as an object, and the diagnostics the parser must report for
    /// it: each key whose name an earlier key of the same object has, pointing at that key.
    struct Document {
        var text = ""
        var expected: [String] = []

        mutating func write(_ members: [(Key, Value)], severity: Severity) {
            var firstRange: [String: ByteRange] = [:]
            text += "{\n"
            for (index, (key, value)) in members.enumerated() {
                text += "  "
                let start = text.utf8.count
                text += "\"\(key.raw)\""
                let range = ByteRange(start: start, end: text.utf8.count)
                text += ": "
                if let first = firstRange[key.name] {
                    // Messages cut a name after 40 characters.
                    let shown = key.name.count > 40 ? key.name.prefix(40) + "..." : key.name
                    expected.append(
                        "DM102 \(severity) \(range) duplicate key '\(shown)': the later value wins; remove one of "
                            + "them | '\(shown)' is first defined here \(first)")
                } else {
                    firstRange[key.name] = range
                }
                switch value {
                case .number: text += "\(index)"
                case .object(let inner): write(inner, severity: severity)
                }
                text += index == members.count - 1 ? "\n" : ",\n"
            }
            text += "}"
        }
    }

    /// The object sizes tried: below, at and above the switch, and far above it.
    static let sizes = [1, 2, 15, 16, 17, 18, 40, 300]

    /// Each pattern makes an object of about `size` keys with the duplicates of one kind.
    static let patterns: [(String, @Sendable (Int) -> [(Key, Value)])] = [
        ("no duplicates", { size in (0..<size).map { (Key("k\($0)"), .number) } }),
        (
            "the last key repeats the first",
            { size in (0..<size).map { (Key("k\($0)"), Value.number) } + [(Key("k0"), .number)] }
        ),
        (
            "keys of one length, two repeated",
            { size in
                let keys = (0..<size).map { Key("key-" + String(repeating: "0", count: 4 - "\($0)".count) + "\($0)") }
                return keys.map { ($0, Value.number) } + [(keys[size / 2], .number), (keys[size - 1], .number)]
            }
        ),
        (
            "long keys that differ only in their middle",
            { size in
                let keys = (0..<size).map { Key("/api/v1/services/\($0)x\($0)/endpoints/primary") }
                return keys.map { ($0, Value.number) } + [(keys[0], .number), (keys[size - 1], .number)]
            }
        ),
        (
            "keys made to collide in the large table's hash, two repeated",
            { size in
                let keys = CollidingKeys.first(size).map { Key($0) }
                return keys.map { ($0, Value.number) } + [(keys[size / 2], .number), (keys[0], .number)]
            }
        ),
        (
            "a later escaped key decodes to an earlier plain one",
            { size in
                (0..<size).map { (Key("k\($0)"), Value.number) } + [
                    (Key("\\u006b0", name: "k0"), .number), (Key("k\\u0030", name: "k0"), .number),
                ]
            }
        ),
        (
            "an earlier escaped key decodes to a later plain one",
            { size in
                [(Key("\\u006b0", name: "k0"), Value.number)] + (1..<max(size, 2)).map { (Key("k\($0)"), .number) }
                    + [(Key("k0"), .number), (Key("a\\/b", name: "a/b"), .number), (Key("a/b"), .number)]
            }
        ),
        (
            "an inner object's keys do not clash with the outer object's",
            { size in
                let inner =
                    (0..<size).map { (Key("b\($0)"), Value.number) } + [(Key("a1"), .number), (Key("b0"), .number)]
                return [(Key("a0"), .number), (Key("a1"), .object(inner))]
                    + (2..<max(size, 3)).map { (Key("a\($0)"), .number) } + [
                        (Key("a1"), .number), (Key("b0"), .number),
                    ]
            }
        ),
    ]

    @Test(arguments: sizes)
    func duplicatesAreReportedAtTheLaterKey(size: Int) {
        for (pattern, members) in Self.patterns {
            for (dialect, severity) in [(JSONDialect.json, Severity.error), (.jsonc, .warning)] {
                var document = Document()
                document.write(members(size), severity: severity)
                let tree = JSONParser.parse(
                    document.text, options: ParseOptions(dialect: dialect, maxDiagnostics: 1000))
                let actual = tree.diagnostics.map {
                    "\($0.code.rawValue) \($0.severity) \($0.range) \($0.message) | "
                        + $0.related.map { "\($0.message) \($0.range)" }.joined(separator: "; ")
                }
                #expect(actual == document.expected, "\(pattern), \(size) keys, \(dialect)")
            }
        }
    }

    @Test(arguments: sizes)
    func strictJSONAllowsDuplicates(size: Int) {
        for (pattern, members) in Self.patterns {
            var document = Document()
            document.write(members(size), severity: .error)
            let tree = JSONParser.parse(document.text, options: ParseOptions(dialect: .strict))
            #expect(tree.diagnostics.isEmpty, "\(pattern), \(size) keys")
        }
    }

    /// The patterns do make duplicates, so the tests above compare real diagnostics.
    @Test func thePatternsHaveDuplicates() {
        var document = Document()
        for (_, members) in Self.patterns {
            document.write(members(40), severity: .error)
        }
        #expect(document.expected.count == 13)
    }

    /// Keys whose fast hashes share their low bits probe one growing cluster; past
    /// `LargeKeys.probeLimit` the table hands them to a `Dictionary`, and keys of a real
    /// config never do. Both sides are checked, so the switch cannot go unnoticed either way.
    @Test func collidingKeysMoveToADictionary() {
        let configLike: [[String]] = [
            (0..<20_000).map { "svc-\($0)" },
            (0..<5_000).map { "/api/v1/services/svc-\($0)/items" },
            (0..<5_000).map { "svc-\(String(repeating: "0", count: 5 - "\($0)".count))\($0)" },
        ]
        for (keys, moves) in [(CollidingKeys.first(300), true)] + configLike.map({ ($0, false) }) {
            let text = keys.joined() + keys[7]
            let table = LargeKeys()
            var offset = 0
            var duplicates: [ByteRange] = []
            Array(text.utf8).withUnsafeBufferPointer { buffer in
                for key in keys + [keys[7]] {
                    let length = key.utf8.count
                    if let earlier = table.insert(start: offset, length: length, in: buffer) {
                        duplicates.append(earlier)
                    }
                    offset += length
                }
            }
            let seventh = keys[..<7].reduce(0) { $0 + $1.utf8.count }
            #expect(duplicates == [ByteRange(start: seventh, end: seventh + keys[7].utf8.count)])
            #expect(table.hasMovedToDictionary == moves, "\(keys[0])...")
        }
    }
}

/// Keys whose `LargeKeys.hash` has its low ten bits zero: every one lands in the same
/// slot of a table of up to 1,024 slots, as keys written against the hash could.
enum CollidingKeys {
    static let pool: [String] = {
        var found: [String] = []
        var candidate = 0
        while found.count < 300 {
            let key = "c\(candidate)"
            let hash = Array(key.utf8).withUnsafeBufferPointer {
                LargeKeys.hash($0, start: 0, length: $0.count)
            }
            if hash & 1023 == 0 { found.append(key) }
            candidate += 1
        }
        return found
    }()

    static func first(_ count: Int) -> [String] { Array(pool.prefix(count)) }
}
