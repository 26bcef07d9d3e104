import Foundation
import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

@testable import MeshCommands

/// `diddy-mesh init`: the starter config for each wrangler set-up (golden files), the
/// refusal to overwrite, and the promise that the starter checks clean and routes.
@Suite("init command")
struct InitCommandTests {
    static let golden = Paths.fixtures.appendingPathComponent("init")

    /// One folder to initialise: the files in it (and above it) before `init`, the options,
    /// and the exit status. `<name>.out` holds what it printed and `<name>.jsonc` the config
    /// it wrote (absent when it wrote nothing).
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Files relative to the folder's parent, so that a case can put one above it.
        var files: [String: String] = [:]
        var binding: String?
        var schema: String?
        var exitCode: Int32 = 0
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no-wrangler"),
        Case(
            name: "toml-one-namespace",
            files: [
                "toml-one-namespace/wrangler.toml": """
                name = "shop-router"
                main = "src/index.ts"
                kv_namespaces = [
                  { binding = "MESH_KV", id = "0f2ac74b498b48028cb68387c421e279", preview_id = "preview-mesh" }
                ]
                """
            ]),
        Case(
            name: "toml-without-namespaces",
            files: ["toml-without-namespaces/wrangler.toml": "name = \"plain-worker\"\n"]),
        Case(
            name: "jsonc-two-with-binding",
            files: ["jsonc-two-with-binding/wrangler.jsonc": twoNamespaces("CACHE", "SESSIONS")], binding: "SESSIONS"),
        Case(
            name: "jsonc-two-one-named-for-the-mesh",
            files: ["jsonc-two-one-named-for-the-mesh/wrangler.jsonc": twoNamespaces("CACHE", "MESH_REGISTRY")]),
        Case(
            name: "jsonc-two-ambiguous",
            files: ["jsonc-two-ambiguous/wrangler.jsonc": twoNamespaces("CACHE", "SESSIONS")], exitCode: 2),
        Case(
            name: "binding-not-in-wrangler",
            files: [
                "binding-not-in-wrangler/wrangler.toml": "kv_namespaces = [{ binding = \"MESH_KV\", id = \"abc\" }]\n"
            ],
            binding: "REGISTRY", exitCode: 2),
        Case(name: "binding-without-wrangler", binding: "MESH_KV"),
        Case(
            name: "malformed-wrangler-toml",
            files: [
                "malformed-wrangler-toml/wrangler.toml":
                    "name = \"broken\"\nkv_namespaces = [\n  { binding = \"MESH_KV\", id = }\n]\n"
            ],
            exitCode: 2),
        Case(name: "wrangler-in-parent-folder", files: ["wrangler.json": twoNamespaces("MESH_KV", "ASSETS")]),
        Case(name: "schema-url", schema: "https://example.com/schemas/diddy-mesh.schema.json"),
    ]

    static func twoNamespaces(_ first: String, _ second: String) -> String {
        """
        // A Worker with two KV namespaces.
        {
          "name": "edge",
          "kv_namespaces": [
            { "binding": "\(first)", "id": "11111111111111111111111111111111" },
            { "binding": "\(second)", "id": "22222222222222222222222222222222" },
          ],
        }
        """
    }

    @Test("init writes the starter for each wrangler set-up", arguments: cases)
    func starter(_ testCase: Case) throws {
        let root = try TemporaryDirectory()
        for (path, text) in testCase.files { try root.write(path, text) }
        let folder = root.path(testCase.name)
        var options = InitRunner.Options()
        options.directory = folder
        options.binding = testCase.binding
        options.schema = testCase.schema
        let result = InitRunner.run(options)
        #expect(result.exitCode == testCase.exitCode, "\(result.errors)")
        let printed = (result.output + result.errors).replacingOccurrences(of: root.url.path, with: "<tmp>")
        Golden.check(printed, against: Self.golden.appendingPathComponent("\(testCase.name).out"))

        let config = URL(fileURLWithPath: folder).appendingPathComponent(InitTemplate.fileName)
        let schemaFile = URL(fileURLWithPath: folder).appendingPathComponent(InitRunner.schemaFileName)
        guard testCase.exitCode == 0 else {
            #expect(!FileManager.default.fileExists(atPath: config.path), "a failed init must write nothing")
            #expect(!FileManager.default.fileExists(atPath: schemaFile.path), "a failed init must write nothing")
            return
        }
        let text = try String(contentsOf: config, encoding: .utf8)
        Golden.check(text, against: Self.golden.appendingPathComponent("\(testCase.name).jsonc"))
        if testCase.schema == nil {
            #expect(
                try String(contentsOf: schemaFile, encoding: .utf8) == JSONSchemaGenerator.text(),
                "the schema file holds the bytes of `diddy-mesh schema`")
        } else {
            #expect(!FileManager.default.fileExists(atPath: schemaFile.path), "with --schema no schema file is written")
        }
        try expectCleanAndRouting(folder: folder)
    }

    /// `check` finds nothing, not even a hint, and `route` sends the API and the rest where
    /// the comments say.
    func expectCleanAndRouting(folder: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var checkOptions = CheckRunner.Options()
        checkOptions.failOn = .hint
        checkOptions.format = .json
        let check = CheckRunner.run(paths: [folder], options: checkOptions)
        #expect(check.exitCode == 0, "\(check.output)\(check.errors)", sourceLocation: sourceLocation)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Int])
        #expect(
            summary == ["files": 1, "errors": 0, "warnings": 0, "information": 0, "hints": 0, "suppressed": 0],
            sourceLocation: sourceLocation)

        let expectations: [(url: String, method: String, service: String, forwarded: String)] = [
            ("https://example.com/api/orders/7", "GET", "api", "/orders/7"),
            ("https://example.com/assets/app.css", "HEAD", "web", "/assets/app.css"),
            ("https://example.com/assets/upload", "POST", "web", "/assets/upload"),
            ("https://example.com/", "GET", "web", "/"),
        ]
        for expected in expectations {
            var options = RouteRunner.Options()
            options.configPath = URL(fileURLWithPath: folder).appendingPathComponent(InitTemplate.fileName).path
            options.url = expected.url
            options.method = expected.method
            options.format = .json
            let route = RouteRunner.run(options)
            #expect(route.exitCode == 0, "\(route.errors)", sourceLocation: sourceLocation)
            let trace = try #require(try JSONSerialization.jsonObject(with: Data(route.output.utf8)) as? [String: Any])
            #expect(
                trace["service"] as? String == expected.service, "\(expected.method) \(expected.url)",
                sourceLocation: sourceLocation)
            let policy = try #require(trace["policy"] as? [String: Any])
            #expect(policy["forwardPath"] as? String == expected.forwarded, sourceLocation: sourceLocation)
        }
    }

    @Test("init never overwrites without --force, and says what it overwrote with it")
    func force() throws {
        let root = try TemporaryDirectory()
        let existing = try root.write("app/diddy-mesh.jsonc", "{\"services\": {}}\n")
        var options = InitRunner.Options()
        options.directory = root.path("app")
        let refused = InitRunner.run(options)
        #expect(refused.exitCode == 2)
        #expect(
            refused.errors.contains("diddy-mesh.jsonc already exists") && refused.errors.contains("--force"),
            "\(refused.errors)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "{\"services\": {}}\n")
        #expect(
            !FileManager.default.fileExists(atPath: root.path("app/\(InitRunner.schemaFileName)")),
            "nothing is written when one file is in the way")

        options.force = true
        let forced = InitRunner.run(options)
        #expect(forced.exitCode == 0, "\(forced.errors)")
        #expect(forced.output.contains("overwrote \(existing)"), "\(forced.output)")
        #expect(forced.output.contains("created \(root.path("app/\(InitRunner.schemaFileName)"))"), "\(forced.output)")
        try expectCleanAndRouting(folder: root.path("app"))
    }

    @Test("init creates a missing folder")
    func createsFolder() throws {
        let root = try TemporaryDirectory()
        var options = InitRunner.Options()
        options.directory = root.path("new/mesh")
        options.name = "shop \"edge\"\nmesh"
        let result = InitRunner.run(options)
        #expect(result.exitCode == 0, "\(result.errors)")
        let text = try String(contentsOfFile: root.path("new/mesh/diddy-mesh.jsonc"), encoding: .utf8)
        #expect(text.contains(#""name": "shop \"edge\"\nmesh""#), "the name is a JSON string, escaped")
        try expectCleanAndRouting(folder: root.path("new/mesh"))
    }

    @Test("inside a checkout, $schema points at the repository's schema and no copy is written")
    func repositorySchema() throws {
        let root = try TemporaryDirectory()
        try root.write("schemas/diddy-mesh.schema.json", JSONSchemaGenerator.text())
        var options = InitRunner.Options()
        options.directory = root.path("examples/starter")
        let result = InitRunner.run(options)
        #expect(result.exitCode == 0, "\(result.errors)")
        let text = try String(contentsOfFile: root.path("examples/starter/diddy-mesh.jsonc"), encoding: .utf8)
        #expect(text.contains(#""$schema": "../../schemas/diddy-mesh.schema.json""#))
        #expect(!FileManager.default.fileExists(atPath: root.path("examples/starter/\(InitRunner.schemaFileName)")))
        try expectCleanAndRouting(folder: root.path("examples/starter"))
    }

    @Test(
        "the relative path from the folder to a file",
        arguments: [
            ("/a/b/wrangler.toml", "/a/b", "wrangler.toml"),
            ("/a/wrangler.toml", "/a/b/c", "../../wrangler.toml"),
            ("/x/y/z.json", "/a/b", "../../x/y/z.json"),
        ])
    func relativePath(_ path: String, _ base: String, _ expected: String) {
        #expect(InitRunner.relativePath(of: path, from: base) == expected)
    }
}
