import Foundation
import MeshSyntax
import MeshTestSupport
import Testing

/// `StrictJSONReader` reads the grammar the config parser reads in the strict dialect: every
/// file of JSONTestSuite gets the same verdict and, when accepted, the same value from both;
/// and each refusal says what is wrong and where.
struct StrictJSONReaderTests {
    typealias Value = StrictJSONReader.Value

    // MARK: Refusals

    /// Reads `input` and expects the refusal `expected` (message and offset), or success
    /// when `expected` is nil.
    func check(_ input: String, _ expected: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = StrictJSONReader.read(Array(input.utf8), maxDepth: 4)
        switch (result, expected) {
        case (.success, nil):
            break
        case (.success(let value), .some(let expected)):
            Issue.record("read \(value) where '\(expected)' was expected", sourceLocation: sourceLocation)
        case (.failure(let error), let expected):
            #expect(error.description == expected, sourceLocation: sourceLocation)
        }
    }

    @Test(
        "what is refused, the sentence that says why and the byte at fault",
        arguments: [
            ("", "expected a JSON value, found end of input at byte 0"),
            ("   ", "expected a JSON value, found end of input at byte 3"),
            ("{", "expected a member's name in double quotes, found end of input at byte 1"),
            ("{\"a\" 1}", "expected ':' after a member's name, found '1' at byte 5"),
            ("{\"a\": 1,}", "expected a member's name in double quotes, found '}' at byte 8"),
            ("{\"a\": 1 \"b\": 2}", "expected ',' or '}' after a member, found '\"' at byte 8"),
            ("{a: 1}", "expected a member's name in double quotes, found 'a' at byte 1"),
            ("[1, 2", "expected ',' or ']' after an element, found end of input at byte 5"),
            ("[1,]", "expected a JSON value, found ']' at byte 3"),
            ("[1] x", "unexpected 'x' after the value at byte 4"),
            ("tru", "expected a JSON value, found 't' at byte 0"),
            ("NaN", "expected a JSON value, found 'N' at byte 0"),
            ("// note\n{}", "expected a JSON value, found '/' at byte 0"),
            ("'a'", "expected a JSON value, found ''' at byte 0"),
            ("01", "invalid number: leading zeros are not allowed at byte 0"),
            ("-", "invalid number: a digit must follow '-' at byte 0"),
            ("1.", "invalid number: a digit must follow the decimal point at byte 0"),
            ("1e+", "invalid number: the exponent needs at least one digit at byte 0"),
            ("\"abc", "the string that starts at byte 0 is not closed before the end of input at byte 4"),
            ("\"abc\\", "the string that starts at byte 0 is not closed before the end of input at byte 5"),
            ("\"a\\x\"", "invalid escape '\\x' in a string at byte 3"),
            ("\"a\\u12G4\"", "'\\u' must be followed by four hexadecimal digits at byte 6"),
            ("\"a\tb\"", "control character 0x09 in a string: write it as an escape at byte 2"),
            ("\"a\nb\"", "control character 0x0A in a string: write it as an escape at byte 2"),
            ("[[[[[1]]]]]", "nesting is deeper than 4 levels at byte 4"),
            ("\u{7F}", "expected a JSON value, found byte 0x7F at byte 0"),
            // Allowed: the deepest nesting, a BOM, repeated names, escapes, every number form.
            ("[[[[1]]]]", nil),
            ("\u{FEFF}{}", nil),
            ("{\"a\": 1, \"a\": 2}", nil),
            ("\"\\ud83d\\ude00 \\u00e9 \\/\"", nil),
            ("[-0, 0.5e-3, 1E+2, 12345678901234567890]", nil),
        ] as [(String, String?)])
    func refusal(input: String, expected: String?) {
        check(input, expected)
    }

    @Test("bytes that are not UTF-8, inside and outside strings")
    func invalidUTF8() {
        let inString = StrictJSONReader.read([0x22, 0x61, 0xFF, 0x22], maxDepth: 4)
        #expect(inString.failure?.description == "invalid UTF-8 (byte 0xFF) in a string at byte 2")
        let overlong = StrictJSONReader.read([0x22, 0xC0, 0xAF, 0x22], maxDepth: 4)
        #expect(overlong.failure?.description == "invalid UTF-8 (byte 0xC0) in a string at byte 1")
        let outside = StrictJSONReader.read([0x7B, 0xFF, 0xFE, 0x7D], maxDepth: 4)
        #expect(outside.failure?.description == "expected a member's name in double quotes, found byte 0xFF at byte 1")
    }

    @Test("input nested far past the limit is refused at the limit, without recursing into it")
    func deepNesting() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        let result = StrictJSONReader.read(deep, maxDepth: 1_000_000)
        #expect(result.failure?.description == "nesting is deeper than 256 levels at byte 256")
    }

    @Test("values, members and their lookup")
    func values() throws {
        let text = #"{"name": "a", "n": 2.5, "list": [true, null, "x"], "name": "b", "caf\u00e9": 1}"#
        let value = try StrictJSONReader.read(Array(text.utf8), maxDepth: 4).get()
        #expect(value.member("name")?.string == "b")
        #expect(value.member("n")?.number == 2.5)
        #expect(value.member("list")?.elements?.map(\.nounPhrase) == ["a boolean", "null", "a string"])
        #expect(value.member("list")?.elements?.first?.bool == true)
        #expect(value.member("café")?.number == 1)
        // Names compare byte for byte, as JSON compares them: a decomposed é is another name.
        #expect(value.member("cafe\u{301}") == nil)
        #expect(value.member("missing") == nil)
        #expect(value.members?.map(\.name) == ["name", "n", "list", "name", "café"])
        #expect(value.string == nil && value.number == nil && value.elements == nil && !value.isNull)
    }

    // MARK: JSONTestSuite, against the config parser

    @Test(
        "every JSONTestSuite file: the config parser's verdict and value",
        .enabled(
            if: TestPaths.hasShared(JSONTestSuite.folder),
            "JSONTestSuite not found at ../shared/testdata/JSONTestSuite/test_parsing"))
    func agreesWithTheParserOnJSONTestSuite() throws {
        let files = try FileManager.default.contentsOfDirectory(
            at: TestPaths.shared(JSONTestSuite.folder), includingPropertiesForKeys: nil
        )
        .filter { $0.pathExtension == "json" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(files.count > 300, "expected the full suite, found \(files.count) files")
        var accepted = 0
        for file in files {
            let name = file.lastPathComponent
            let bytes = try [UInt8](Data(contentsOf: file))
            let tree = JSONParser.parse(SourceText(bytes: bytes), options: ParseOptions(dialect: .strict))
            let read = StrictJSONReader.read(bytes, maxDepth: StrictJSONReader.depthLimit)
            switch read {
            case .success(let value):
                accepted += 1
                #expect(!tree.hasErrors, "\(name): read, but the parser refuses it")
                #expect(!name.hasPrefix("n_"), "\(name) must be refused")
                if let root = tree.rootValue, !tree.hasErrors {
                    #expect(Self.same(value, Self.value(root, in: tree)), "\(name): read \(value)")
                }
            case .failure(let error):
                #expect(tree.hasErrors, "\(name): refused (\(error)), but the parser reads it")
                #expect(!name.hasPrefix("y_"), "\(name) must be read: \(error)")
                #expect(error.offset >= 0 && error.offset <= bytes.count, "\(name): \(error) is outside the file")
            }
        }
        #expect(accepted > 100)
    }

    /// The parser's tree of a value as a reader's value.
    static func value(_ node: NodeID, in tree: SyntaxTree) -> Value {
        switch tree.kind(node) {
        case .object:
            return .object(
                tree.members(of: node).map {
                    StrictJSONReader.Member(name: $0.name, value: $0.value.map { value($0, in: tree) } ?? .null)
                })
        case .array: return .array(tree.elements(of: node).map { value($0, in: tree) })
        case .string: return .string(tree.string(node) ?? "")
        case .number: return .number(tree.number(node) ?? .nan)
        case .trueLiteral: return .bool(true)
        case .falseLiteral: return .bool(false)
        default: return .null
        }
    }

    /// Whether two values are the same, strings byte for byte and numbers bit for bit.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): Array(x.utf8) == Array(y.utf8)
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            x.count == y.count
                && zip(x, y).allSatisfy { Array($0.name.utf8) == Array($1.name.utf8) && same($0.value, $1.value) }
        default: false
        }
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
