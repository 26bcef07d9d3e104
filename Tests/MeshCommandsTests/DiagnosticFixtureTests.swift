import Foundation
import MeshCommands
import MeshSyntax
import MeshTestSupport
import Testing

/// One fixture per diagnostic code: `Fixtures/diagnostics/<CODE>.jsonc`, or `<CODE>.mesh.json`
/// for codes of the `.json` dialect (a plain `<CODE>.json` would be the JSON golden file),
/// with golden files `<CODE>.text`, `.json`, `.sarif` and `.github` beside it.
///
/// Every line where a diagnostic must start ends with a marker comment `// <- DM301`
/// (several codes separated by spaces); a fixture yields exactly the marked diagnostics.
struct DiagnosticFixture: Sendable, CustomTestStringConvertible {
    let code: DiagnosticCode
    let fileExtension: String
    /// The severity diagnostics.md gives the code (for the fixture's dialect).
    let severity: Severity

    var fileName: String { "\(code.rawValue).\(fileExtension)" }
    var url: URL { Paths.diagnosticFixtures.appendingPathComponent(fileName) }
    var testDescription: String { fileName }

    func golden(_ format: String) -> URL {
        Paths.diagnosticFixtures.appendingPathComponent("\(code.rawValue).\(format)")
    }

    /// The codes of this issue, with the severities of diagnostics.md.
    static let all: [DiagnosticFixture] = [
        .init(code: .syntaxError, fileExtension: "jsonc", severity: .error),
        .init(code: .duplicateKey, fileExtension: "mesh.json", severity: .error),
        .init(code: .trailingComma, fileExtension: "mesh.json", severity: .hint),
        .init(code: .nestingTooDeep, fileExtension: "jsonc", severity: .error),
        .init(code: .unknownKey, fileExtension: "jsonc", severity: .warning),
        .init(code: .wrongType, fileExtension: "jsonc", severity: .error),
        .init(code: .valueOutOfRange, fileExtension: "jsonc", severity: .error),
        .init(code: .missingRequiredKey, fileExtension: "jsonc", severity: .error),
        .init(code: .invalidServiceName, fileExtension: "jsonc", severity: .error),
        .init(code: .unsupportedVersion, fileExtension: "jsonc", severity: .error),
        .init(code: .undefinedService, fileExtension: "jsonc", severity: .error),
        .init(code: .unusedService, fileExtension: "jsonc", severity: .hint),
        .init(code: .invalidPathPattern, fileExtension: "jsonc", severity: .error),
        .init(code: .shadowedRule, fileExtension: "jsonc", severity: .warning),
        .init(code: .duplicateRule, fileExtension: "jsonc", severity: .warning),
        .init(code: .invalidSplit, fileExtension: "jsonc", severity: .error),
        .init(code: .invalidStripPrefix, fileExtension: "jsonc", severity: .error),
        .init(code: .serviceAndSplit, fileExtension: "jsonc", severity: .error),
        .init(code: .retriesOnNonIdempotent, fileExtension: "jsonc", severity: .warning),
        .init(code: .invalidEndpointURL, fileExtension: "jsonc", severity: .error),
        .init(code: .insecureEndpoint, fileExtension: "jsonc", severity: .warning),
        .init(code: .duplicateEndpoint, fileExtension: "jsonc", severity: .warning),
        .init(code: .geographicWithoutLocations, fileExtension: "jsonc", severity: .warning),
        .init(code: .weightedWithoutWeights, fileExtension: "jsonc", severity: .hint),
        .init(code: .inconsistentPolicy, fileExtension: "jsonc", severity: .error),
        .init(code: .unknownGeoCode, fileExtension: "jsonc", severity: .error),
        .init(code: .unusedSuppression, fileExtension: "jsonc", severity: .hint),
        .init(code: .suppressionWithoutReason, fileExtension: "jsonc", severity: .hint),
        .init(code: .invalidSuppression, fileExtension: "jsonc", severity: .warning),
    ]
}

/// A `// <- CODE` marker: a diagnostic with `code` must start on `line` (1-based).
struct LineMarker: Hashable, CustomStringConvertible {
    let line: Int
    let code: String

    var description: String { "\(code) at line \(line)" }

    /// The markers of `text`.
    static func markers(in text: String) -> [LineMarker] {
        var result: [LineMarker] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let marker = line.range(of: "// <- ") else { continue }
            for code in line[marker.upperBound...].split(separator: " ") where code.hasPrefix("DM") {
                result.append(LineMarker(line: index + 1, code: String(code)))
            }
        }
        return result
    }
}

@Suite("Diagnostic fixtures and golden files")
struct DiagnosticFixtureTests {
    @Test("each fixture yields its code, where marked, and matches its golden files", arguments: DiagnosticFixture.all)
    func fixture(_ fixture: DiagnosticFixture) throws {
        let bytes = try #require(Paths.bytes(fixture.url), "missing fixture \(fixture.fileName)")
        let file = CheckedFile.check(path: fixture.fileName, bytes: bytes)

        // Structural facts first: the code is there, with the documented severity, and
        // nothing else is reported but what the fixture marks.
        let own = file.diagnostics.filter { $0.code == fixture.code }
        #expect(!own.isEmpty, "\(fixture.fileName) does not yield \(fixture.code.rawValue)")
        for diagnostic in own {
            #expect(diagnostic.severity == fixture.severity, "\(fixture.code.rawValue): \(diagnostic.message)")
            #expect(!diagnostic.message.isEmpty)
            #expect(diagnostic.range.start < bytes.count, "the range must point into the file")
        }
        let markers = LineMarker.markers(in: String(decoding: bytes, as: UTF8.self))
        #expect(
            markers.contains { $0.code == fixture.code.rawValue }, "\(fixture.fileName) marks no line with its own code"
        )
        let found = Set(
            file.diagnostics.map { diagnostic in
                LineMarker(
                    line: file.source.lineIndex.line(containing: diagnostic.range.start) + 1,
                    code: diagnostic.code.rawValue)
            })
        #expect(found == Set(markers), "reported \(found.sorted { $0.line < $1.line }), marked \(markers)")

        // Then the four output formats, byte for byte.
        Golden.check(TextFormatter(color: false).format([file]), against: fixture.golden("text"))
        Golden.check(JSONFormatter.format([file]), against: fixture.golden("json"))
        Golden.check(SARIFFormatter.format([file]), against: fixture.golden("sarif"))
        Golden.check(GitHubFormatter.format([file]), against: fixture.golden("github"))
    }

    @Test("the fixture folder holds exactly one fixture and four golden files per code")
    func folderIsComplete() throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: Paths.diagnosticFixtures.path))
        var expected = Set<String>()
        for fixture in DiagnosticFixture.all {
            expected.insert(fixture.fileName)
            for format in ["text", "json", "sarif", "github"] {
                expected.insert("\(fixture.code.rawValue).\(format)")
            }
        }
        #expect(names.subtracting(expected).isEmpty, "unexpected files: \(names.subtracting(expected).sorted())")
        if !Golden.isRecording {
            #expect(expected.subtracting(names).isEmpty, "missing files: \(expected.subtracting(names).sorted())")
        }
    }

    @Test(
        "the fixture severities are those of diagnostics.md",
        .enabled(if: FileManager.default.fileExists(atPath: Paths.spec.appendingPathComponent("diagnostics.md").path)))
    func severitiesMatchTheSpec() throws {
        let spec = try String(contentsOf: Paths.spec.appendingPathComponent("diagnostics.md"), encoding: .utf8)
        var documented: [String: String] = [:]
        for line in spec.split(separator: "\n") where line.hasPrefix("| DM") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let severity = cells[1].split(separator: " ").first else { continue }
            documented[cells[0]] = String(severity)
        }
        // The suppression codes came with issue 15, after the spec's table; the issue gives
        // their severities, which docs/diagnostics.md states.
        let newerThanSpec: Set<DiagnosticCode> = [.unusedSuppression, .suppressionWithoutReason, .invalidSuppression]
        for fixture in DiagnosticFixture.all where !newerThanSpec.contains(fixture.code) {
            #expect(documented[fixture.code.rawValue] == fixture.severity.description, "\(fixture.code.rawValue)")
        }
        for code in newerThanSpec {
            #expect(documented[code.rawValue] == nil, "\(code.rawValue) is in the spec now: check it there")
        }
    }
}
