import Foundation
import MeshRegistry
import Testing

/// Finding and reading wrangler configs (docs/guide/registry.md, "Binding resolution").
@Suite("Wrangler config discovery and binding resolution")
struct WranglerConfigTests {
    typealias S = RegistrySupport

    private func found(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> WranglerConfig
    {
        let result = WranglerConfig.find(startingAt: directory)
        let config = try #require(
            try result.get(), "no wrangler config found from \(directory)", sourceLocation: sourceLocation)
        return config
    }

    @Test("wrangler.json: kv_namespaces with id and preview_id")
    func json() throws {
        let directory = try S.copyOfFixture("json")
        let config = try found(directory)
        #expect(config.path == directory + "/wrangler.json")
        #expect(
            config.kvNamespaces == [
                .init(
                    binding: "MESH_KV", id: "0f2ac74b498b48028cb68387c421e279",
                    previewId: "6a1b2c3d4e5f60718293a4b5c6d7e8f9"),
                .init(binding: "CACHE", id: "cache-prod-id"),
                .init(binding: "SCRATCH"),
            ])
        #expect(config.stateDirectory == directory + "/.wrangler/state")
    }

    @Test("wrangler.jsonc: comments and trailing commas")
    func jsonc() throws {
        let config = try found(try S.copyOfFixture("jsonc"))
        #expect(config.kvNamespaces == [.init(binding: "MESH_KV", id: "jsonc-prod-id", previewId: "jsonc-preview-id")])
    }

    @Test("wrangler.toml: [[kv_namespaces]] tables; [env.*] sections are not read")
    func toml() throws {
        let config = try found(try S.copyOfFixture("toml"))
        #expect(
            config.kvNamespaces == [
                .init(binding: "MESH_KV", id: "0f2ac74b498b48028cb68387c421e279", previewId: "toml-preview-id"),
                .init(binding: "CACHE", id: "5d1c0e7a3b9f4e2d8c6a4b2e0f9d7c5a"),
            ])
    }

    @Test("an inline TOML array of tables and a config without kv_namespaces")
    func tomlForms() throws {
        let directory = try S.temporaryDirectory()
        try S.write(
            #"kv_namespaces = [{ binding = "A", id = "a-id" }, { binding = "B", preview_id = "b-prev" }]"#,
            to: "wrangler.toml", in: directory)
        #expect(
            try found(directory).kvNamespaces == [
                .init(binding: "A", id: "a-id"), .init(binding: "B", previewId: "b-prev"),
            ])
        #expect(try found(try S.copyOfFixture("no-kv")).kvNamespaces.isEmpty)
    }

    @Test("in one directory, wrangler.json wins over wrangler.jsonc, which wins over wrangler.toml")
    func order() throws {
        #expect(try found(try S.copyOfFixture("order-all")).kvNamespaces.first?.id == "from-json")
        #expect(try found(try S.copyOfFixture("order-jsonc")).kvNamespaces.first?.id == "from-jsonc")
    }

    @Test("the search goes upward from the starting directory; relative paths and .. are resolved")
    func upward() throws {
        let root = try S.copyOfFixture("nested")
        let config = try found(root + "/app/mesh")
        #expect(config.path == root + "/wrangler.toml")
        #expect(config.directory == root)
        #expect(try found(root + "/app/mesh/../..").path == root + "/wrangler.toml")
    }

    @Test("the nearest config wins over one further up")
    func nearest() throws {
        let root = try S.copyOfFixture("nested")
        try S.write(#"{"kv_namespaces": [{"binding": "MESH_KV", "id": "inner"}]}"#, to: "app/wrangler.json", in: root)
        let config = try found(root + "/app/mesh")
        #expect(config.path == root + "/app/wrangler.json")
        #expect(config.kvNamespaces.first?.id == "inner")
    }

    @Test("no wrangler config up to the root is .success(nil); a directory named wrangler.toml is skipped")
    func none() throws {
        let directory = try S.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/wrangler.toml", withIntermediateDirectories: true)
        #expect(try WranglerConfig.find(startingAt: directory).get() == nil)
    }

    @Test("binding resolution: preview_id ?? id ?? binding locally, id remotely")
    func bindings() throws {
        let config = try found(try S.copyOfFixture("json"))
        let mesh = try #require(config.namespace(forBinding: "MESH_KV"))
        #expect(mesh.localId == "6a1b2c3d4e5f60718293a4b5c6d7e8f9")
        #expect(mesh.remoteId == "0f2ac74b498b48028cb68387c421e279")
        let cache = try #require(config.namespace(forBinding: "CACHE"))
        #expect(cache.localId == "cache-prod-id")
        #expect(cache.remoteId == "cache-prod-id")
        let scratch = try #require(config.namespace(forBinding: "SCRATCH"))
        #expect(scratch.localId == "SCRATCH")
        #expect(scratch.remoteId == nil)
        #expect(config.namespace(forBinding: "mesh_kv") == nil, "bindings are case-sensitive")
        #expect(config.namespace(forBinding: "MISSING") == nil)
    }

    @Test("a TOML syntax error is a clear error with the file, line and column")
    func brokenTOML() throws {
        let directory = try S.copyOfFixture("toml-broken")
        let error = S.failure(WranglerConfig.find(startingAt: directory))
        guard case .notConfigured(let message) = error else {
            Issue.record("expected .notConfigured, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix(directory + "/wrangler.toml:4:"), "\(message)")
        #expect(message.contains("invalid TOML"))
    }

    @Test("a JSON syntax error names the file and line")
    func brokenJSON() throws {
        let directory = try S.copyOfFixture("json-broken")
        let message = S.failure(WranglerConfig.find(startingAt: directory)).map(String.init(describing:)) ?? ""
        #expect(message.contains(directory + "/wrangler.json:4:"), "\(message)")
        #expect(message.contains("invalid JSON"))
    }

    @Test(
        "wrong shapes and junk are errors naming the file, never crashes",
        arguments: [
            ("wrangler.toml", #"kv_namespaces = "MESH_KV""#, "kv_namespaces must be an array"),
            ("wrangler.toml", "kv_namespaces = [1]", "kv_namespaces[0] must be a table"),
            ("wrangler.toml", #"kv_namespaces = [{ id = "x" }]"#, "kv_namespaces[0] has no binding"),
            ("wrangler.toml", #"kv_namespaces = [{ binding = 7 }]"#, "kv_namespaces[0].binding must be a string"),
            ("wrangler.toml", "name = \"a\u{0}b\"", "NUL byte"),
            ("wrangler.toml", "[[[", "invalid TOML"),
            ("wrangler.toml", String(repeating: "a = [", count: 10_000), "invalid TOML"),
            ("wrangler.json", "[]", "must be a JSON object"),
            ("wrangler.json", #"{"kv_namespaces": {"binding": "X"}}"#, "kv_namespaces must be an array"),
            (
                "wrangler.json", #"{"kv_namespaces": [{"binding": "X", "id": 5}]}"#,
                "kv_namespaces[0].id must be a string"
            ),
            ("wrangler.jsonc", #"{"kv_namespaces": [{"id": "x"}]}"#, "kv_namespaces[0] has no binding"),
            ("wrangler.json", "", "invalid JSON"),
        ])
    func badShapes(file: String, text: String, message: String) throws {
        let directory = try S.temporaryDirectory()
        try S.write(text, to: file, in: directory)
        let error = S.failure(WranglerConfig.find(startingAt: directory))
        let description = error.map(String.init(describing:)) ?? ""
        #expect(description.contains(directory + "/" + file), "\(description)")
        #expect(description.contains(message), "\(description)")
    }

    @Test("a file that is not UTF-8 is an error, not a crash")
    func notUTF8() throws {
        let directory = try S.temporaryDirectory()
        try Data([0x6E, 0x3D, 0x22, 0xFF, 0x22]).write(to: URL(fileURLWithPath: directory + "/wrangler.toml"))
        #expect(S.failure(WranglerConfig.find(startingAt: directory)) != nil)
    }
}
