import MeshSyntax
import Testing
import WireJSON

/// Our strict parser against json-c (through `WireJSON.parse(_:strict:)`) on thousands of
/// random documents and mutations of them: both must accept or reject the same inputs,
/// and agree on the value of what they accept.
@Suite("Differential against json-c")
struct DifferentialTests {
    /// How a disagreement is explained by a known, deliberate difference between json-c
    /// (as WireJSON exposes it) and RFC 8259 as we read it. Anything else is a failure.
    ///
    /// json-c 0.16's strict tokener itself also accepts `NaN`, `Infinity`, `-Infinity`,
    /// `1.`, `-.5`, `00`, `-01`, `01.5`, raw control characters in strings and (even with
    /// `JSON_TOKENER_VALIDATE_UTF8`) overlong forms, encoded surrogates and code points
    /// past U+10FFFF, and clamps integers outside int64/uint64 to the limits. WireJSON's
    /// own lexical pass rejects all of those in strict mode, so they need no exclusion
    /// here; `jsonCQuirksAreRejectedByWireJSON` below keeps that true.
    enum Quirk: String, CaseIterable {
        /// json-c clamps integers outside int64/uint64 to the limits; WireJSON therefore
        /// rejects them in every mode, where RFC 8259 section 6 allows any magnitude.
        case integerOutsideInt64 = "integers outside int64 (json-c clamps them, WireJSON rejects)"
        /// json-c turns numbers beyond the double range into infinity; WireJSON's strict
        /// mode rejects them, where RFC 8259 leaves the range to the implementation.
        case doubleOutOfRange = "numbers beyond the double range (json-c makes them infinite, WireJSON rejects)"
        /// json-c keeps object keys as C strings and would cut `"a\u0000b"` to `"a"`;
        /// WireJSON rejects such keys rather than change them.
        case nulInKey = "\\u0000 in an object key (json-c truncates, WireJSON rejects)"
        /// json-c rejects a leading UTF-8 byte order mark; RFC 8259 section 8.1 lets a
        /// parser ignore it, and we do.
        case byteOrderMark = "leading BOM (json-c rejects, we accept)"
    }

    /// The outcome of one comparison.
    enum Verdict: Equatable {
        case bothAccepted
        case bothRejected
        case excluded(Quirk)
        case disagreement(String)
    }

    static let strict = ParseOptions(dialect: .strict)

    /// Parses `bytes` with both parsers and compares; this is the one check of the feature.
    static func check(_ bytes: [UInt8], expected: JSONValue? = nil) -> Verdict {
        let tree = JSONParser.parse(SourceText(bytes: bytes), options: strict)
        let ours: JSONValue? = tree.hasErrors ? nil : tree.rootValue.map { Self.value(of: $0, in: tree) }
        let theirs: JSONValue?
        switch WireJSON.parse(bytes, strict: true, maxDepth: 1024) {
        case .success(let value): theirs = value
        case .failure: theirs = nil
        }
        if let expected, let ours, !Self.equivalent(ours, expected) {
            return .disagreement("our value \(ours) differs from the generated \(expected)")
        }
        switch (ours, theirs) {
        case (nil, nil):
            return .bothRejected
        case (let ours?, let theirs?):
            return Self.equivalent(ours, theirs)
                ? .bothAccepted : .disagreement("values differ: ours \(ours), json-c \(theirs)")
        case (let ours?, nil):
            if let quirk = Self.quirk(in: tree, value: ours) { return .excluded(quirk) }
            return .disagreement("we accept, json-c rejects")
        case (nil, _?):
            return .disagreement("json-c accepts, we reject: \(tree.errors.prefix(3).map(\.summary))")
        }
    }

    /// Which deliberate difference makes json-c reject a document we accept, if any.
    static func quirk(in tree: SyntaxTree, value: JSONValue) -> Quirk? {
        if tree.source.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .byteOrderMark }
        for node in tree.allNodes {
            switch tree.kind(node) {
            case .number:
                let text = tree.text(node)
                if !text.contains(where: { ".eE".contains($0) }), Int64(text) == nil { return .integerOutsideInt64 }
                if let number = tree.number(node), !number.isFinite { return .doubleOutOfRange }
            case .member:
                if let key = tree.firstChild(of: node), tree.string(key)?.contains("\u{0}") == true { return .nulInKey }
            default:
                break
            }
        }
        return nil
    }

    /// Our tree as a WireJSON value: integers that fit `Int64` are `.int`, other numbers
    /// `.double`; a duplicate key keeps its first position and takes the last value, as
    /// json-c does.
    static func value(of node: NodeID, in tree: SyntaxTree) -> JSONValue {
        switch tree.kind(node) {
        case .object:
            return .object(
                JSONObject(tree.members(of: node).map { ($0.name, $0.value.map { value(of: $0, in: tree) } ?? .null) }))
        case .array:
            return .array(tree.elements(of: node).map { value(of: $0, in: tree) })
        case .string:
            return .string(tree.string(node) ?? "")
        case .number:
            return Int64(tree.text(node)).map(JSONValue.int) ?? .double(tree.number(node) ?? .nan)
        case .trueLiteral:
            return .bool(true)
        case .falseLiteral:
            return .bool(false)
        default:
            return .null
        }
    }

    /// Structural equality where numbers compare as doubles with a relative tolerance and
    /// `.int` and `.double` are interchangeable; object key order must match.
    static func equivalent(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let a), .bool(let b)):
            return a == b
        case (.string(let a), .string(let b)):
            // Scalar by scalar: String's == would let "é" equal "e\u{301}".
            return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy(equivalent)
        case (.object(let a), .object(let b)):
            return a.keys.count == b.keys.count
                && zip(a.keys, b.keys).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
                && zip(a.values, b.values).allSatisfy(equivalent)
        default:
            guard let a = lhs.doubleValue, let b = rhs.doubleValue else { return false }
            if a == b { return true }
            return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
        }
    }

    @Test("random documents and their mutations")
    func randomDocuments() {
        var generator = DocumentGenerator(seed: 0xD1DD_7E57)
        var counts: [String: Int] = [:]
        var failures: [String] = []
        var documents = 0
        for _ in 0..<1_500 {
            let (text, expected) = generator.document()
            var variants: [([UInt8], JSONValue?)] = [(Array(text.utf8), expected)]
            for _ in 0..<3 { variants.append((generator.mutate(Array(text.utf8)), nil)) }
            for (bytes, expected) in variants {
                documents += 1
                switch Self.check(bytes, expected: expected) {
                case .bothAccepted: counts["accepted", default: 0] += 1
                case .bothRejected: counts["rejected", default: 0] += 1
                case .excluded(let quirk): counts[quirk.rawValue, default: 0] += 1
                case .disagreement(let reason):
                    failures.append("\(reason) for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                }
            }
        }
        print(
            "differential: \(documents) documents, \(counts["accepted"] ?? 0) accepted by both, "
                + "\(counts["rejected"] ?? 0) rejected by both"
        )
        for quirk in Quirk.allCases {
            print("differential: excluded \(counts[quirk.rawValue] ?? 0) for \(quirk.rawValue)")
        }
        #expect(
            failures.isEmpty, "\(failures.count) disagreements, first: \(failures.prefix(5).joined(separator: "\n"))")
        // The run must exercise both outcomes in earnest, or it proves nothing.
        #expect((counts["accepted"] ?? 0) > 1_500)
        #expect((counts["rejected"] ?? 0) > 1_500)
    }

    /// Hand-picked documents at the edges, each with the verdict it must get.
    @Test(
        "edge cases",
        arguments: [
            ("{\"a\":1,\"a\":2}", Verdict.bothAccepted),
            ("[\"\\ud800\", \"\\udc00x\", \"\\ud83d\\ude00\"]", .bothAccepted),
            ("[\"\\u0000\"]", .bothAccepted),
            ("{\"a\\u0000b\": 1}", .excluded(.nulInKey)),
            ("[123456789012345678901234567890]", .excluded(.integerOutsideInt64)),
            ("[-9223372036854775809]", .excluded(.integerOutsideInt64)),
            ("[9223372036854775807, -9223372036854775808]", .bothAccepted),
            ("[1e400]", .excluded(.doubleOutOfRange)),
            ("[1e-400, -0, -0.0, 0e0, 1E+2]", .bothAccepted),
            ("\u{FEFF}[1]", .excluded(.byteOrderMark)),
            (" \"top\" ", .bothAccepted),
            ("-1.5e-3", .bothAccepted),
            ("", .bothRejected),
            ("[1] 2", .bothRejected),
        ])
    func edgeCase(input: String, verdict: Verdict) {
        #expect(Self.check(Array(input.utf8)) == verdict)
    }

    /// The json-c 0.16 strict-mode quirks (found with a C probe against libjson-c: its
    /// strict tokener accepts all of these) must stay rejected by WireJSON's strict mode
    /// and by us, or the differential test above would need more exclusions.
    @Test(
        "json-c quirks are rejected by WireJSON and by us",
        arguments: [
            "[NaN]", "[Infinity]", "[-Infinity]", "[1.]", "[-1.]", "[1.e5]", "[-.5]", "[00]", "[-01]", "[-00.5]",
            "[01.5]", "[\"a\tb\"]", "[\"a\nb\"]", "[\"\u{1}\"]",
        ])
    func jsonCQuirksAreRejectedByWireJSON(input: String) {
        #expect(Self.check(Array(input.utf8)) == .bothRejected)
    }

    @Test(
        "json-c's UTF-8 validation gaps are rejected by WireJSON and by us",
        arguments: [
            [0x5B, 0x22, 0xC0, 0x80, 0x22, 0x5D],
            [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D],
            [0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D],
            [0x5B, 0x22, 0xFF, 0x22, 0x5D],
        ] as [[UInt8]])
    func utf8Gaps(bytes: [UInt8]) {
        #expect(Self.check(bytes) == .bothRejected)
    }
}

/// Random JSON documents, written as text by hand (so that the text exercises escapes,
/// raw Unicode, exponents and odd whitespace) together with the value they denote.
struct DocumentGenerator {
    private var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// One document: mostly an object or array, sometimes a bare scalar.
    mutating func document() -> (String, JSONValue) {
        let (text, value) = chance(0.85) ? container(depth: 0) : scalar()
        return (whitespace() + text + whitespace(), value)
    }

    /// A copy of `bytes` with one random edit: a byte deleted, inserted or replaced, or one
    /// punctuation character swapped for another.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let alphabet =
            Array("{}[]:,\"\\/'.-+eE0123456789tfnul \t\n\r#".utf8) + [
                0x00, 0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xE6, 0xED, 0xF0, 0xFF,
            ]
        let punctuation = Array("{}[]:,\"".utf8)
        let insertion = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
        guard !bytes.isEmpty else { return [insertion] }
        let index = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            bytes.remove(at: index)
        case 1:
            bytes.insert(insertion, at: index)
        case 2:
            bytes[index] = insertion
        default:
            let marks = bytes.indices.filter { punctuation.contains(bytes[$0]) }
            if let mark = marks.randomElement(using: &random) {
                bytes[mark] = punctuation[Int.random(in: 0..<punctuation.count, using: &random)]
            } else {
                bytes.remove(at: index)
            }
        }
        return bytes
    }

    private mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    private mutating func whitespace() -> String {
        pick(["", "", "", " ", "\n", "\t", "\r\n", "  ", "\n    "])
    }

    private mutating func value(depth: Int) -> (String, JSONValue) {
        depth < 5 && chance(0.3) ? container(depth: depth) : scalar()
    }

    private mutating func container(depth: Int) -> (String, JSONValue) {
        let count = Int.random(in: 0...5, using: &random)
        if chance(0.5) {
            var texts: [String] = []
            var values: [JSONValue] = []
            for _ in 0..<count {
                let (text, value) = value(depth: depth + 1)
                texts.append(whitespace() + text + whitespace())
                values.append(value)
            }
            return ("[" + texts.joined(separator: ",") + (count == 0 ? whitespace() : "") + "]", .array(values))
        }
        var texts: [String] = []
        var pairs: [(String, JSONValue)] = []
        for _ in 0..<count {
            // Now and then a key repeats, to check that both sides keep the last value.
            let (keyText, key) = pairs.isEmpty || chance(0.9) ? string(forKey: true) : reuse(pairs)
            let (text, value) = value(depth: depth + 1)
            texts.append(whitespace() + keyText + whitespace() + ":" + whitespace() + text + whitespace())
            pairs.append((key, value))
        }
        return ("{" + texts.joined(separator: ",") + (count == 0 ? whitespace() : "") + "}", .object(JSONObject(pairs)))
    }

    private mutating func reuse(_ pairs: [(String, JSONValue)]) -> (String, String) {
        let key = pick(pairs).0
        return (StringEncoding.literal(key), key)
    }

    private mutating func scalar() -> (String, JSONValue) {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return ("null", .null)
        case 1: return chance(0.5) ? ("true", .bool(true)) : ("false", .bool(false))
        case 2, 3, 4: return number()
        default:
            let (text, value) = string(forKey: false)
            return (text, .string(value))
        }
    }

    private mutating func number() -> (String, JSONValue) {
        let sign = chance(0.3) ? "-" : ""
        let text: String
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<35:
            text = sign + String(Int.random(in: 0...999, using: &random))
        case 35..<50:
            text = sign + String(Int64.random(in: 0...999_999_999_999_999, using: &random))
        case 50..<65:
            text = sign + String(Int.random(in: 0...99_999, using: &random)) + "." + digits(1...6)
        case 65..<90:
            let mantissa = String(Int.random(in: 0...9, using: &random)) + (chance(0.5) ? "." + digits(1...4) : "")
            text =
                sign + mantissa + pick(["e", "E"]) + pick(["", "+", "-"])
                + String(Int.random(in: 0...30, using: &random))
        case 90..<94:
            text = sign + pick(["0", "0.0", "0e0", "0.000001"])
        case 94..<97:
            // Beyond int64: valid JSON that json-c cannot hold exactly.
            text = sign + String(Int.random(in: 1...9, using: &random)) + digits(19...24)
        default:
            // Beyond the double range.
            text = sign + "1e" + String(Int.random(in: 309...999, using: &random))
        }
        let value: JSONValue = Int64(text).map(JSONValue.int) ?? .double(Double(text) ?? .nan)
        return (text, value)
    }

    private mutating func digits(_ count: ClosedRange<Int>) -> String {
        String(
            (0..<Int.random(in: count, using: &random)).map { _ in
                Character(String(Int.random(in: 0...9, using: &random)))
            })
    }

    /// A string as JSON text and its decoded value, built from pieces that cover raw
    /// Unicode (emoji, CJK, combining marks) and every kind of escape.
    private mutating func string(forKey: Bool) -> (String, String) {
        let pieces: [(String, String)] = [
            ("abc", "abc"), ("service", "service"), (" ", " "), ("0", "0"),
            ("😀", "😀"), ("🇨🇭", "🇨🇭"), ("漢字", "漢字"), ("日本語", "日本語"), ("e\u{301}", "e\u{301}"), ("Ω", "Ω"),
            ("\\\"", "\""), ("\\\\", "\\"), ("\\/", "/"), ("\\b", "\u{8}"), ("\\f", "\u{C}"), ("\\n", "\n"),
            ("\\r", "\r"), ("\\t", "\t"), ("\\u00e9", "é"), ("\\u4E2D", "中"), ("\\ud83d\\ude00", "😀"),
            ("\\u001f", "\u{1F}"), ("\\u2028", "\u{2028}"), ("\\uFFFF", "\u{FFFF}"),
            // A lone surrogate escape decodes to U+FFFD on both sides.
            ("\\ud800", "\u{FFFD}"),
        ]
        var text = "\""
        var value = ""
        for _ in 0..<Int.random(in: 0...(forKey ? 3 : 6), using: &random) {
            let (pieceText, pieceValue) = pick(pieces)
            text += pieceText
            value += pieceValue
        }
        // Rarely, a NUL escape: fine in values, and in keys the WireJSON exclusion.
        if chance(0.02) {
            text += "\\u0000"
            value += "\u{0}"
        }
        return (text + "\"", value)
    }
}
