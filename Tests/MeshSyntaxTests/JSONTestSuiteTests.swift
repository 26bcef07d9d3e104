import Foundation
import MeshSyntax
import MeshTestSupport
import Testing

/// RFC 8259 conformance against Nicolas Seriot's JSONTestSuite, read in the strict dialect.
///
/// Documented decisions for the files the suite leaves to the implementation (`i_`):
/// invalid UTF-8 anywhere is an error; a leading UTF-8 BOM is accepted; lone surrogate
/// escapes are accepted and decode to U+FFFD. The `i_` outcomes are kept in a golden file
/// so that any change of behaviour is seen in review.
@Suite(
    "JSONTestSuite conformance",
    .enabled(
        if: TestPaths.hasShared(JSONTestSuite.folder),
        "JSONTestSuite not found at ../shared/testdata/JSONTestSuite/test_parsing"))
struct JSONTestSuiteTests {
    /// What a file's name prefix demands.
    enum Expectation: String {
        case accept = "y"
        case reject = "n"
        case either = "i"
    }

    /// One parsed file.
    struct Outcome {
        let name: String
        let accepted: Bool
        let seconds: Double
    }

    /// The longest any single file may take; the largest file is 100 KB, so this bound only
    /// catches a hang or a quadratic path, not ordinary slowness of a debug build.
    static let perFileLimit = 2.0

    static let strict = ParseOptions(dialect: .strict)

    /// The suite's files with a given prefix, sorted by name.
    static func files(_ expectation: Expectation) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: TestPaths.shared(JSONTestSuite.folder), includingPropertiesForKeys: nil
        )
        .filter { $0.lastPathComponent.hasPrefix(expectation.rawValue + "_") && $0.pathExtension == "json" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Parses one file strictly and checks it against the expectation of its prefix.
    @discardableResult
    static func check(_ file: URL, _ expectation: Expectation, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> Outcome
    {
        let bytes = try [UInt8](Data(contentsOf: file))
        let (tree, seconds) = measure { JSONParser.parse(SourceText(bytes: bytes), options: strict) }
        let name = file.lastPathComponent
        let accepted = !tree.hasErrors
        switch expectation {
        case .accept:
            #expect(accepted, "\(name) must be accepted: \(tree.errors.map(\.summary))", sourceLocation: sourceLocation)
        case .reject:
            #expect(!accepted, "\(name) must be rejected", sourceLocation: sourceLocation)
        case .either:
            break
        }
        #expect(seconds < perFileLimit, "\(name) took \(seconds) s", sourceLocation: sourceLocation)
        // Whatever the verdict, every diagnostic must point inside the file.
        for diagnostic in tree.diagnostics {
            #expect(
                diagnostic.range.start >= 0 && diagnostic.range.end <= bytes.count,
                "\(name): \(diagnostic.summary) lies outside the file", sourceLocation: sourceLocation)
        }
        return Outcome(name: name, accepted: accepted, seconds: seconds)
    }

    @Test("every y_ file is accepted")
    func acceptsValidDocuments() throws {
        let files = try Self.files(.accept)
        #expect(files.count > 90, "expected the full suite, found \(files.count) y_ files")
        let outcomes = try files.map { try Self.check($0, .accept) }
        print("JSONTestSuite y_: \(outcomes.filter(\.accepted).count) of \(outcomes.count) accepted")
    }

    @Test("every n_ file is rejected")
    func rejectsInvalidDocuments() throws {
        let files = try Self.files(.reject)
        #expect(files.count > 180, "expected the full suite, found \(files.count) n_ files")
        let outcomes = try files.map { try Self.check($0, .reject) }
        let slowest = outcomes.max { $0.seconds < $1.seconds }
        print(
            "JSONTestSuite n_: \(outcomes.filter { !$0.accepted }.count) of \(outcomes.count) rejected; slowest "
                + "\(slowest?.name ?? "-") \(String(format: "%.3f", slowest?.seconds ?? 0)) s"
        )
    }

    @Test("i_ files behave as recorded")
    func implementationDefinedDocumentsMatchGolden() throws {
        let files = try Self.files(.either)
        let outcomes = try files.map { try Self.check($0, .either) }
        let report =
            outcomes.map { "\($0.accepted ? "accepted" : "rejected") \($0.name)" }.joined(separator: "\n") + "\n"
        print(
            "JSONTestSuite i_: \(outcomes.filter(\.accepted).count) accepted, "
                + "\(outcomes.filter { !$0.accepted }.count) rejected"
        )
        Golden.check(
            report,
            against: TestPaths.fixtures(of: "MeshSyntaxTests").appendingPathComponent("jsontestsuite-i-behaviour.txt"))
    }

    /// The documented decisions, checked on the suite's own files so that the golden file
    /// cannot silently record the opposite.
    @Test(
        "documented decisions for i_ files",
        arguments: [
            ("i_string_UTF-8_invalid_sequence.json", false),
            ("i_string_invalid_utf-8.json", false),
            ("i_string_iso_latin_1.json", false),
            ("i_string_lone_utf8_continuation_byte.json", false),
            ("i_string_overlong_sequence_2_bytes.json", false),
            ("i_string_UTF8_surrogate_U+D800.json", false),
            ("i_string_not_in_unicode_range.json", false),
            ("i_string_truncated-utf-8.json", false),
            ("i_structure_UTF-8_BOM_empty_object.json", true),
            ("i_string_1st_surrogate_but_2nd_missing.json", true),
            ("i_string_lone_second_surrogate.json", true),
            ("i_string_invalid_surrogate.json", true),
            ("i_object_key_lone_2nd_surrogate.json", true),
            ("i_number_huge_exp.json", true),
            ("i_structure_500_nested_arrays.json", false),
        ])
    func documentedDecision(file: String, accepted: Bool) throws {
        let url = TestPaths.shared(JSONTestSuite.folder).appendingPathComponent(file)
        let outcome = try Self.check(url, .either)
        #expect(outcome.accepted == accepted, "\(file)")
    }

    @Test("lone surrogate escapes decode to U+FFFD")
    func loneSurrogatesDecodeToReplacement() throws {
        let url = TestPaths.shared(JSONTestSuite.folder).appendingPathComponent(
            "i_string_1st_surrogate_but_2nd_missing.json")
        let tree = JSONParser.parse(SourceText(bytes: try [UInt8](Data(contentsOf: url))), options: Self.strict)
        let element = try #require(tree.rootValue.flatMap { tree.elements(of: $0).first })
        #expect(tree.string(element) == "\u{FFFD}")
    }
}

/// Where the JSONTestSuite corpus is, below `../shared`.
enum JSONTestSuite {
    static let folder = "testdata/JSONTestSuite/test_parsing"
}
