import Foundation
import MeshCommands
import MeshSyntax
import Testing

@Suite("examples/broken")
struct BrokenExampleTests {
    static let directory = Paths.examples.appendingPathComponent("broken")

    /// The codes each file of the example is meant to show, with how often.
    static let intended: [String: [String: Int]] = [
        "diddy-mesh.jsonc": [
            "DM201": 1, "DM202": 1, "DM203": 1, "DM204": 1, "DM205": 1, "DM206": 1,
            "DM301": 1, "DM302": 1,
            "DM401": 1, "DM402": 1, "DM403": 1, "DM404": 1, "DM405": 1, "DM406": 1, "DM407": 1,
            "DM501": 1, "DM502": 1, "DM503": 1, "DM504": 1, "DM505": 1, "DM506": 1, "DM507": 1,
        ],
        "typos.mesh.json": ["DM101": 2, "DM102": 1, "DM103": 1, "DM301": 1],
    ]

    @Test("check on the directory yields each intended code, each explained by a nearby comment")
    func intendedCodes() throws {
        let result = CheckRunner.run(paths: [Self.directory.path], options: .init())
        #expect(result.exitCode == 1)
        #expect(result.errors.isEmpty)
        #expect(result.output.hasSuffix("17 errors, 7 warnings, 3 hints in 2 files\n"), "\(result.output.suffix(80))")

        let files = try ConfigDiscovery.configFiles(in: [Self.directory.path]).get()
        #expect(files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["diddy-mesh.jsonc", "typos.mesh.json"])
        for path in files {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let bytes = try #require(Paths.bytes(URL(fileURLWithPath: path)))
            let file = CheckedFile.check(path: path, bytes: bytes)
            var counts: [String: Int] = [:]
            for diagnostic in file.diagnostics { counts[diagnostic.code.rawValue, default: 0] += 1 }
            #expect(counts == Self.intended[name], "\(name)")

            // A newcomer reads the comment just above (or beside) each finding.
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for diagnostic in file.diagnostics {
                let line = file.source.lineIndex.line(containing: diagnostic.range.start)
                let nearby = lines[max(0, line - 3)...line]
                #expect(
                    nearby.contains { $0.contains("//") && $0.contains(diagnostic.code.rawValue) },
                    "\(name):\(line + 1): \(diagnostic.code.rawValue) has no comment naming it")
            }
        }
    }

    @Test("every machine format renders the example")
    func machineFormats() throws {
        for format in [CheckFormat.json, .sarif] {
            var options = CheckRunner.Options()
            options.format = format
            let result = CheckRunner.run(paths: [Self.directory.path], options: options)
            #expect(result.exitCode == 1)
            let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
            #expect(document is [String: Any], "\(format)")
        }
        var options = CheckRunner.Options()
        options.format = .github
        let github = CheckRunner.run(paths: [Self.directory.path], options: options).output.split(separator: "\n")
        #expect(github.count == 27)
        #expect(
            github.allSatisfy {
                $0.hasPrefix("::error file=") || $0.hasPrefix("::warning file=") || $0.hasPrefix("::notice file=")
            })
    }
}
