import Foundation
import MeshCommands
import MeshRegistry
import MeshSyntax
import Testing

/// Small configs with a known worst finding.
enum SampleConfig: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case clean, hint, warning, error

    var text: String {
        switch self {
        case .clean: Self.cleanText
        case .hint: Self.hintText
        case .warning: Self.warningText
        case .error: Self.errorText
        }
    }

    var testDescription: String { "\(rawValue) config" }

    static let cleanText = """
        {
          "version": 1,
          "services": { "users": { "endpoints": ["https://users.example.workers.dev"] } },
          "routing": { "rules": [{ "path": "/api/users/*", "service": "users" }] }
        }
        """
    /// One DM201 warning.
    static let warningText = """
        {
          "version": 1,
          "services": { "users": { "endpoints": ["https://users.example.workers.dev"], "timout": 100 } },
          "routing": { "rules": [{ "path": "/api/users/*", "service": "users" }] }
        }
        """
    /// One DM302 hint.
    static let hintText = """
        {
          "version": 1,
          "services": {
            "users": { "endpoints": ["https://users.example.workers.dev"] },
            "legacy": { "endpoints": ["https://legacy.example.workers.dev"] }
          },
          "routing": { "rules": [{ "path": "/api/users/*", "service": "users" }] }
        }
        """
    /// One DM301 error and one DM201 warning.
    static let errorText = """
        {
          "version": 1,
          "services": { "users": { "endpoints": ["https://users.example.workers.dev"], "timout": 100 } },
          "routing": { "rules": [{ "path": "/api/users/*", "service": "userz" }], "default": "users" }
        }
        """
}

@Suite("check: exit codes and options")
struct CheckExitCodeTests {
    /// Runs `check` in-process on one config written to a temporary file.
    func run(
        _ text: String, name: String = "diddy-mesh.jsonc", _ configure: (inout CheckRunner.Options) -> Void = { _ in }
    ) throws -> CheckRunner {
        let directory = try TemporaryDirectory()
        let path = try directory.write(name, text)
        var options = CheckRunner.Options()
        configure(&options)
        return CheckRunner.run(paths: [path], options: options)
    }

    @Test(
        "exit status by worst finding and --fail-on",
        arguments: [
            (SampleConfig.clean, "error", Int32(0)), (.clean, "hint", 0),
            (.hint, "error", 0), (.hint, "warning", 0), (.hint, "hint", 1),
            (.warning, "error", 0), (.warning, "warning", 1), (.warning, "hint", 1),
            (.error, "error", 1), (.error, "warning", 1), (.error, "hint", 1),
        ])
    func exitStatus(config: SampleConfig, failOn: String, expected: Int32) throws {
        let severity = try #require(Severity(name: failOn))
        let result = try run(config.text) { $0.failOn = severity }
        #expect(result.exitCode == expected)
        #expect(result.errors.isEmpty)
    }

    @Test("the command line maps usage errors to exit status 2")
    func usageErrors() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("diddy-mesh.jsonc", SampleConfig.clean.text)
        try FileManager.default.createDirectory(atPath: directory.path("empty"), withIntermediateDirectories: true)
        try directory.write("empty/notes.json", "{\"not\": \"a mesh config\"}")
        #expect(await MeshCommandLine.main(["check", config]) == 0)
        #expect(await MeshCommandLine.main(["check", "--format", "yaml", config]) == 2)
        #expect(await MeshCommandLine.main(["check", "--fail-on", "fatal", config]) == 2)
        #expect(await MeshCommandLine.main(["check", "--no-such-option", config]) == 2)
        #expect(await MeshCommandLine.main(["check", directory.path("missing.jsonc")]) == 2)
        #expect(await MeshCommandLine.main(["check", directory.path("empty")]) == 2)
        #expect(await MeshCommandLine.main(["frobnicate"]) == 2)
    }

    @Test("the command line passes --fail-on through")
    func failOnThroughTheCommandLine() async throws {
        let directory = try TemporaryDirectory()
        let warning = try directory.write("warning.mesh.jsonc", SampleConfig.warning.text)
        let hint = try directory.write("hint.mesh.jsonc", SampleConfig.hint.text)
        #expect(await MeshCommandLine.main(["check", "--quiet", warning]) == 0)
        #expect(await MeshCommandLine.main(["check", "--quiet", "--fail-on", "warning", warning]) == 1)
        #expect(await MeshCommandLine.main(["check", "--quiet", "--fail-on", "warning", hint]) == 0)
        #expect(await MeshCommandLine.main(["check", "--quiet", "--fail-on", "hint", hint]) == 1)
    }

    @Test("--check is an alias of the check subcommand")
    func checkAlias() async throws {
        let directory = try TemporaryDirectory()
        let clean = try directory.write("clean.mesh.jsonc", SampleConfig.clean.text)
        let broken = try directory.write("broken.mesh.jsonc", SampleConfig.error.text)
        #expect(await MeshCommandLine.main(["--check", clean]) == 0)
        #expect(await MeshCommandLine.main(["--check", "--quiet", broken]) == 1)
        #expect(await MeshCommandLine.main(["--check", "--format", "github", broken]) == 1)
        #expect(await MeshCommandLine.main(["--check", "--format", "yaml", clean]) == 2)
        #expect(await MeshCommandLine.main(["--check", directory.path("nothing-here.jsonc")]) == 2)
    }

    @Test("a missing path and a directory without configs are exit status 2 with a message")
    func unusableInput() throws {
        let directory = try TemporaryDirectory()
        try directory.write("package.json", "{\"name\": \"shop\"}")
        try directory.write("node_modules/dep/diddy-mesh.json", SampleConfig.error.text)

        let missing = CheckRunner.run(paths: [directory.path("missing.jsonc")], options: .init())
        #expect(missing.exitCode == 2)
        #expect(missing.errors.contains("missing.jsonc"))
        #expect(missing.output.isEmpty)

        let empty = CheckRunner.run(paths: [directory.url.path], options: .init())
        #expect(empty.exitCode == 2)
        #expect(empty.errors.contains("no mesh config found"))
    }

    @Test("--quiet prints only findings at or above --fail-on, without the summary")
    func quiet() throws {
        let quietWarning = try run(SampleConfig.warning.text) { $0.quiet = true }
        #expect(quietWarning.output.isEmpty)
        #expect(quietWarning.exitCode == 0)

        let quietError = try run(SampleConfig.error.text) { $0.quiet = true }
        #expect(quietError.output.contains("error[DM301]"))
        #expect(!quietError.output.contains("warning[DM201]"))
        #expect(!quietError.output.contains(" in 1 file"))

        let quietWarningFailing = try run(SampleConfig.warning.text) {
            $0.quiet = true
            $0.failOn = .warning
        }
        #expect(quietWarningFailing.output.contains("warning[DM201]"))
        #expect(quietWarningFailing.exitCode == 1)
    }

    @Test(
        "the text format ends with a summary line",
        arguments: [
            (SampleConfig.clean, "no problems in 1 file"),
            (.hint, "1 hint in 1 file"),
            (.warning, "1 warning in 1 file"),
            (.error, "1 error, 1 warning in 1 file"),
        ])
    func summaryLine(config: SampleConfig, expected: String) throws {
        let result = try run(config.text)
        #expect(result.output.split(separator: "\n").last.map(String.init) == expected)
    }

    @Test("the summary counts every file and severity")
    func summaryAcrossFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.mesh.jsonc", SampleConfig.error.text)
        try directory.write("b.mesh.jsonc", SampleConfig.error.text)
        try directory.write("c.mesh.jsonc", SampleConfig.hint.text)
        let result = CheckRunner.run(paths: [directory.url.path], options: .init())
        #expect(result.output.hasSuffix("2 errors, 2 warnings, 1 hint in 3 files\n"))
        #expect(result.exitCode == 1)
    }

    @Test("the text format starts each finding with path:line:col: severity[CODE]: message")
    func textFindingLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("diddy-mesh.jsonc", SampleConfig.error.text)
        let result = CheckRunner.run(paths: [path], options: .init())
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(
            lines.contains("\(path):3:80: warning[DM201]: unknown key 'timout' in service; did you mean 'timeout'?"))
        #expect(lines.contains("\(path):4:63: error[DM301]: unknown service 'userz'; did you mean 'users'?"))
        #expect(lines.contains("   = help: Replace with 'users'"))
        #expect(!result.output.contains("\u{1B}["), "no color unless asked for")
    }
}

@Suite("check: finding configs in directories")
struct ConfigDiscoveryTests {
    @Test("config names, $schema files, nested folders; node_modules and .git skipped")
    func discovery() throws {
        let directory = try TemporaryDirectory()
        let schemaConfig = """
            {
              "$schema": "https://example.com/schemas/diddy-mesh.schema.json",
              "services": { "users": {} },
              "routing": { "default": "users" }
            }
            """
        for name in [
            "diddy-mesh.json", "diddy-mesh.jsonc", "shop.mesh.json", "edge.mesh.jsonc", "nested/deeper/api.mesh.json",
            "by-schema.json",
        ] {
            try directory.write(name, name == "by-schema.json" ? schemaConfig : SampleConfig.clean.text)
        }
        // Not configs: other JSON, other $schema values, a nested $schema, and configs in skipped folders.
        try directory.write("package.json", "{\"name\": \"shop\", \"version\": \"1.0.0\"}")
        try directory.write("tsconfig.json", "{\"$schema\": \"https://json.schemastore.org/tsconfig\"}")
        try directory.write("nested-schema.json", "{\"config\": {\"$schema\": \"diddy-mesh.schema.json\"}}")
        try directory.write("schema-suffix.json", "{\"$schema\": \"diddy-mesh.schema.json.bak\"}")
        try directory.write("mesh.yaml", "services: {}")
        try directory.write("node_modules/some-package/diddy-mesh.json", SampleConfig.error.text)
        try directory.write(".git/diddy-mesh.json", SampleConfig.error.text)
        try directory.write("nested/node_modules/x.mesh.json", SampleConfig.error.text)

        let found = try ConfigDiscovery.configFiles(in: [directory.url.path]).get()
        let relative = found.map { String($0.dropFirst(directory.url.path.count + 1)) }
        #expect(
            Set(relative) == [
                "by-schema.json", "diddy-mesh.json", "diddy-mesh.jsonc", "edge.mesh.jsonc",
                "nested/deeper/api.mesh.json", "shop.mesh.json",
            ])
        #expect(relative == relative.sorted(), "discovery order is stable")

        let result = CheckRunner.run(paths: [directory.url.path], options: .init())
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.output == "no problems in 6 files\n")
    }

    @Test("a file named on the command line is checked whatever its name")
    func explicitFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("anything.txt", SampleConfig.error.text)
        let found = try ConfigDiscovery.configFiles(in: [path]).get()
        #expect(found == [path])
        let result = CheckRunner.run(paths: [path], options: .init())
        #expect(result.exitCode == 1)
        #expect(result.output.contains("error[DM301]"))
    }

    @Test(
        "config names are recognised",
        arguments: [
            ("diddy-mesh.json", true), ("diddy-mesh.jsonc", true), ("Diddy-Mesh.JSON", true), ("shop.mesh.json", true),
            ("shop.mesh.jsonc", true), ("mesh.json", false), ("diddy-mesh.json.bak", false), ("shop-mesh.json", false),
        ])
    func configNames(name: String, expected: Bool) {
        #expect(ConfigFolderSearch.isConfigName(name) == expected)
    }
}

@Suite("check: unusual input files")
struct BadInputTests {
    /// Checks one file in-process and returns the result and its JSON output, parsed.
    func check(_ bytes: [UInt8], name: String = "diddy-mesh.jsonc") throws -> (CheckRunner, [[String: Any]]) {
        let directory = try TemporaryDirectory()
        let path = try directory.write(name, bytes: bytes)
        var options = CheckRunner.Options()
        options.format = .json
        let result = CheckRunner.run(paths: [path], options: options)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        let diagnostics = try #require(files.first?["diagnostics"] as? [[String: Any]])
        // Every format must cope with the file, not only JSON.
        for format in CheckFormat.allCases {
            var other = CheckRunner.Options()
            other.format = format
            let rendered = CheckRunner.run(paths: [path], options: other)
            #expect(rendered.exitCode == result.exitCode, "\(format)")
            #expect(!rendered.output.isEmpty, "\(format)")
        }
        return (result, diagnostics)
    }

    func codes(_ diagnostics: [[String: Any]]) -> [String] {
        diagnostics.compactMap { $0["code"] as? String }
    }

    @Test("an empty file is one syntax error")
    func emptyFile() throws {
        let (result, diagnostics) = try check([])
        #expect(result.exitCode == 1)
        #expect(codes(diagnostics) == ["DM101"])
        #expect((diagnostics.first?["message"] as? String)?.contains("end of input") == true)
    }

    @Test("a binary file is reported once as not being text")
    func binaryFile() throws {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
        bytes += (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let (result, diagnostics) = try check(bytes)
        #expect(result.exitCode == 1)
        #expect(codes(diagnostics) == ["DM101"])
        #expect((diagnostics.first?["message"] as? String)?.contains("binary") == true)
    }

    @Test("invalid UTF-8 is reported and the output stays valid UTF-8")
    func invalidUTF8() throws {
        var bytes = Array(SampleConfig.clean.text.utf8)
        // An invalid byte inside a string, and one between tokens.
        let key = Array("\"users\"".utf8)
        let keyStart = try #require(bytes.firstRange(of: key)?.lowerBound)
        bytes.insert(0xFF, at: keyStart + 3)
        bytes.insert(contentsOf: [0xC3, 0x28], at: 1)
        let (result, diagnostics) = try check(bytes)
        #expect(result.exitCode == 1)
        #expect(codes(diagnostics).contains("DM101"))
        #expect(diagnostics.count <= 4, "\(diagnostics)")
        let messages = diagnostics.compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("UTF-8") }, "\(messages)")
    }

    @Test("100,000 nested brackets are one nesting error, without a stack overflow")
    func deepNesting() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let (result, diagnostics) = try check(bytes)
        #expect(result.exitCode == 1)
        #expect(codes(diagnostics).contains("DM104"))
        #expect(codes(diagnostics).filter { $0 == "DM104" }.count == 1)
        #expect(diagnostics.count <= 4, "\(codes(diagnostics))")
    }

    @Test("a 50 MB string is a wrong type at the top level, reported quickly")
    func hugeString() throws {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
        bytes[0] = UInt8(ascii: "\"")
        bytes[bytes.count - 1] = UInt8(ascii: "\"")
        let directory = try TemporaryDirectory()
        let path = try directory.write("huge.mesh.json", bytes: bytes)
        var options = CheckRunner.Options()
        options.format = .json
        let json = CheckRunner.run(paths: [path], options: options)
        #expect(json.exitCode == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        let diagnostics = try #require(files.first?["diagnostics"] as? [[String: Any]])
        #expect(codes(diagnostics) == ["DM202"])
        let text = CheckRunner.run(paths: [path], options: .init())
        #expect(text.output.contains("error[DM202]: mesh config must be an object, found string"))
        #expect(text.output.count < 2_000, "the snippet of a huge line is not printed")
    }
}
