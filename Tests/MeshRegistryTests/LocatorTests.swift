import Foundation
import MeshConfig
import MeshRegistry
import Testing

/// Which store the registry options, `mesh.registry` and the wrangler config select
/// (docs/guide/registry.md, "Backends"; docs/guide/ci.md, registry options).
@Suite("Registry locator: backend, namespace and root")
struct LocatorTests {
    typealias S = RegistrySupport

    static let token = "cf-test-token-5f0c9b1e2d"

    /// What one case expects: the backend and namespace, text the description must
    /// contain, or an error kind with text its message must contain.
    enum Outcome: Sendable, CustomStringConvertible {
        case store(RegistryBackendChoice, namespace: String, describedWith: String)
        case notConfigured(String)
        case bindingNotFound(String)
        case unauthorized(String)
        case invalidArgument(String)

        var description: String {
            switch self {
            case .store(let backend, let namespace, _): "\(backend.rawValue) \(namespace)"
            case .notConfigured(let text): "notConfigured \(text)"
            case .bindingNotFound(let text): "bindingNotFound \(text)"
            case .unauthorized(let text): "unauthorized \(text)"
            case .invalidArgument(let text): "invalidArgument \(text)"
            }
        }
    }

    /// One row of the rules table. `fixture` is a folder of `Fixtures/wrangler` copied to a
    /// temporary directory (nil: an empty one); the config file sits in `configDirectory`
    /// under it; `$DIR` in `persistTo` and expectations stands for that temporary copy.
    struct Rule: Sendable, CustomStringConvertible {
        var name: String
        var fixture: String?
        var configDirectory = ""
        var registry: String?
        var backend: RegistryBackendChoice?
        var persistTo: String?
        var namespaceId: String?
        var accountId: String?
        var environment: [String: String] = [:]
        /// Whether ids from the workspace may get the token (false: the language server's
        /// default, docs/security.md).
        var workspaceIdsTrusted = true
        var expected: Outcome

        var description: String { name }
    }

    static let rules: [Rule] = [
        Rule(
            name: "--registry off", fixture: "toml", registry: #"{"binding": "MESH_KV"}"#, backend: .off,
            expected: .notConfigured("registry is off")),
        Rule(
            name: "binding via wrangler.toml: preview_id locally, default state folder", fixture: "toml",
            registry: #"{"binding": "MESH_KV"}"#,
            expected: .store(
                .wranglerLocal, namespace: "toml-preview-id",
                describedWith: "wrangler-local namespace toml-preview-id ($DIR/.wrangler/state/v3/kv)")),
        Rule(
            name: "binding with only an id uses the id locally", fixture: "toml", registry: #"{"binding": "CACHE"}"#,
            expected: .store(
                .wranglerLocal, namespace: "5d1c0e7a3b9f4e2d8c6a4b2e0f9d7c5a",
                describedWith: "5d1c0e7a3b9f4e2d8c6a4b2e0f9d7c5a")),
        Rule(
            name: "binding with neither id uses the binding name locally", fixture: "json",
            registry: #"{"binding": "SCRATCH"}"#,
            expected: .store(.wranglerLocal, namespace: "SCRATCH", describedWith: "SCRATCH")),
        Rule(
            name: "--persist-to sets the state folder", fixture: "toml", registry: #"{"binding": "MESH_KV"}"#,
            persistTo: "$DIR/elsewhere",
            expected: .store(.wranglerLocal, namespace: "toml-preview-id", describedWith: "($DIR/elsewhere/v3/kv)")),
        Rule(
            name: "--namespace-id wins over the binding", fixture: "toml", registry: #"{"binding": "MESH_KV"}"#,
            namespaceId: "flag-id",
            expected: .store(.wranglerLocal, namespace: "flag-id", describedWith: "flag-id")),
        Rule(
            name: "mesh.registry.namespaceId wins over the binding", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "namespaceId": "config-id"}"#,
            expected: .store(.wranglerLocal, namespace: "config-id", describedWith: "config-id")),
        Rule(
            name: "the search starts at the config file's directory and goes up", fixture: "nested",
            configDirectory: "app/mesh",
            registry: #"{"binding": "MESH_KV"}"#,
            expected: .store(.wranglerLocal, namespace: "nested-prod-id", describedWith: "($DIR/.wrangler/state/v3/kv)")
        ),
        Rule(
            name: "an unknown binding names the wrangler config", fixture: "toml", registry: #"{"binding": "NOPE"}"#,
            expected: .bindingNotFound("NOPE is not in the kv_namespaces of $DIR/wrangler.toml (it has MESH_KV, CACHE)")
        ),
        Rule(
            name: "a binding without any wrangler config says what to add", registry: #"{"binding": "MESH_KV"}"#,
            expected: .notConfigured(
                "mesh.registry.binding is MESH_KV but there is no wrangler.json, wrangler.jsonc, wrangler.toml in "
                    + "$DIR or above"
            )),
        Rule(
            name: "nothing configured and no wrangler config",
            expected: .notConfigured("add \"registry\": {\"binding\": \"MESH_KV\"}")),
        Rule(
            name: "no registry settings: the only kv namespace is used", fixture: "nested",
            expected: .store(.wranglerLocal, namespace: "nested-prod-id", describedWith: "nested-prod-id")),
        Rule(
            name: "no registry settings and two namespaces: ask for a binding", fixture: "two-namespaces",
            expected: .notConfigured("$DIR/wrangler.toml has 2 kv namespaces (MESH_KV, OTHER_KV)")),
        Rule(
            name: "no registry settings and no kv namespaces", fixture: "no-kv",
            expected: .notConfigured("$DIR/wrangler.toml has no kv_namespaces")),
        Rule(
            name: "a broken wrangler.toml is reported with its line", fixture: "toml-broken",
            registry: #"{"binding": "MESH_KV"}"#,
            expected: .notConfigured("$DIR/wrangler.toml:4:")),
        Rule(
            name: "an explicit namespace without wrangler config uses the config's directory", namespaceId: "abc",
            expected: .store(
                .wranglerLocal, namespace: "abc",
                describedWith: "wrangler-local namespace abc ($DIR/.wrangler/state/v3/kv)")),
        Rule(
            name: "an explicit namespace and --persist-to need no wrangler config, even a broken one",
            fixture: "toml-broken",
            persistTo: "$DIR/state", namespaceId: "abc",
            expected: .store(.wranglerLocal, namespace: "abc", describedWith: "($DIR/state/v3/kv)")),
        Rule(
            name: "accountId in mesh.registry and a token: cloudflare with the binding's id", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "acc00000000000000000000000000001"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": token],
            expected: .store(
                .cloudflare, namespace: "0f2ac74b498b48028cb68387c421e279",
                describedWith:
                    "cloudflare namespace 0f2ac74b498b48028cb68387c421e279 (account "
                    + "acc00000000000000000000000000001)")),
        Rule(
            name: "accountId without a token stays local", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "acc00000000000000000000000000001"}"#,
            expected: .store(.wranglerLocal, namespace: "toml-preview-id", describedWith: "toml-preview-id")),
        Rule(
            name: "CLOUDFLARE_ACCOUNT_ID with mesh.registry.namespaceId and a token: cloudflare", fixture: "toml",
            registry: #"{"namespaceId": "9a900000000000000000000000000009"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": token, "CLOUDFLARE_ACCOUNT_ID": "acc0000000000000000000000000000e"],
            expected: .store(
                .cloudflare, namespace: "9a900000000000000000000000000009",
                describedWith: "(account acc0000000000000000000000000000e)")),
        Rule(
            name: "CLOUDFLARE_ACCOUNT_ID and a token but only a binding: local", fixture: "toml",
            registry: #"{"binding": "MESH_KV"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": token, "CLOUDFLARE_ACCOUNT_ID": "acc0000000000000000000000000000e"],
            expected: .store(.wranglerLocal, namespace: "toml-preview-id", describedWith: "toml-preview-id")),
        Rule(
            name: "--account-id and a token: cloudflare", fixture: "toml", registry: #"{"binding": "CACHE"}"#,
            accountId: "acc000000000000000000000000000f1",
            environment: ["CLOUDFLARE_API_TOKEN": token],
            expected: .store(
                .cloudflare, namespace: "5d1c0e7a3b9f4e2d8c6a4b2e0f9d7c5a",
                describedWith: "acc000000000000000000000000000f1")),
        Rule(
            name: "--registry cloudflare without a token", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "a"}"#,
            backend: .cloudflare, expected: .unauthorized("CLOUDFLARE_API_TOKEN is not set")),
        Rule(
            name: "--registry cloudflare without an account id", fixture: "toml", registry: #"{"binding": "MESH_KV"}"#,
            backend: .cloudflare,
            environment: ["CLOUDFLARE_API_TOKEN": token], expected: .notConfigured("needs an account id")),
        Rule(
            name: "--registry cloudflare with a binding that has no id", fixture: "json",
            registry: #"{"binding": "SCRATCH", "accountId": "a"}"#,
            backend: .cloudflare, environment: ["CLOUDFLARE_API_TOKEN": token],
            expected: .notConfigured("the kv namespace SCRATCH in $DIR/wrangler.json has no id")),
        Rule(
            name: "--registry wrangler-local overrides a cloudflare setup", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "acc00000000000000000000000000001"}"#,
            backend: .wranglerLocal, environment: ["CLOUDFLARE_API_TOKEN": token],
            expected: .store(.wranglerLocal, namespace: "toml-preview-id", describedWith: "toml-preview-id")),
        Rule(
            name: "an empty token counts as unset", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "acc00000000000000000000000000001"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": ""],
            expected: .store(.wranglerLocal, namespace: "toml-preview-id", describedWith: "toml-preview-id")),
        Rule(
            name: "an account id that is not 32 hex digits never reaches the network", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "../../user/tokens/x"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": token],
            expected: .invalidArgument("account id '../../user/tokens/x' is not 32 hex digits; nothing was sent")),
        Rule(
            name: "a namespace id that is not 32 hex digits never reaches the network", fixture: "toml",
            registry: #"{"namespaceId": "ns/../../x", "accountId": "acc00000000000000000000000000001"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": token],
            expected: .invalidArgument("namespace id 'ns/../../x' is not 32 hex digits")),
        Rule(
            name: "untrusted: an account id from the mesh config gets no token", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "acc00000000000000000000000000001"}"#,
            environment: ["CLOUDFLARE_API_TOKEN": token], workspaceIdsTrusted: false,
            expected: .notConfigured("account id acc00000000000000000000000000001 comes from the mesh config")),
        Rule(
            name: "untrusted: the user's account but the workspace's namespace gets no token", fixture: "toml",
            registry: #"{"binding": "MESH_KV"}"#, accountId: "acc000000000000000000000000000f1",
            environment: ["CLOUDFLARE_API_TOKEN": token], workspaceIdsTrusted: false,
            expected: .notConfigured("set diddyMesh.allowCloudflare to true")),
        Rule(
            name: "untrusted: ids from the user's own settings are used", fixture: "toml",
            registry: #"{"binding": "MESH_KV", "accountId": "acc00000000000000000000000000001"}"#,
            namespaceId: "9a900000000000000000000000000009", accountId: "acc000000000000000000000000000f1",
            environment: ["CLOUDFLARE_API_TOKEN": token], workspaceIdsTrusted: false,
            expected: .store(
                .cloudflare, namespace: "9a900000000000000000000000000009",
                describedWith: "acc000000000000000000000000000f1")),
    ]

    @Test("the rules table", arguments: rules)
    func rule(_ rule: Rule) throws {
        let directory = try rule.fixture.map(S.copyOfFixture) ?? S.temporaryDirectory()
        func expand(_ text: String) -> String { text.replacingOccurrences(of: "$DIR", with: directory) }
        let configPath = (directory as NSString).appendingPathComponent(rule.configDirectory + "/diddy-mesh.jsonc")
        var options = RegistryOptions(
            backend: rule.backend, persistTo: rule.persistTo.map(expand), namespaceId: rule.namespaceId,
            accountId: rule.accountId, environment: rule.environment)
        options.workspaceIdsTrusted = rule.workspaceIdsTrusted
        let result = RegistryLocator.resolve(
            configPath: configPath, settings: rule.registry.flatMap(S.settings), options: options)
        switch (rule.expected, result) {
        case (.store(let backend, let namespace, let text), .success(let resolved)):
            #expect(resolved.backend == backend)
            #expect(resolved.namespaceId == namespace)
            #expect(resolved.description.contains(expand(text)), "\(resolved.description)")
            #expect(resolved.store is WranglerLocalKVStore == (backend == .wranglerLocal))
            #expect(resolved.store is CloudflareKVStore == (backend == .cloudflare))
            #expect(!resolved.description.contains(Self.token))
        case (.notConfigured(let text), .failure(.notConfigured(let message))),
            (.bindingNotFound(let text), .failure(.bindingNotFound(let message))),
            (.unauthorized(let text), .failure(.unauthorized(let message))),
            (.invalidArgument(let text), .failure(.invalidArgument(let message))):
            #expect(message.contains(expand(text)), "\(message)")
            #expect(!message.contains(Self.token))
        default:
            Issue.record("expected \(rule.expected), got \(result)")
        }
    }

    @Test("the backend rule on its own, before anything is opened")
    func backendRule() {
        let remote = S.settings(#"{"accountId": "a", "namespaceId": "n"}"#)
        #expect(RegistryLocator.backend(settings: remote, options: RegistryOptions(environment: [:])) == .wranglerLocal)
        #expect(
            RegistryLocator.backend(
                settings: remote, options: RegistryOptions(environment: ["CLOUDFLARE_API_TOKEN": "t"])) == .cloudflare)
        #expect(
            RegistryLocator.backend(settings: nil, options: RegistryOptions(environment: ["CLOUDFLARE_API_TOKEN": "t"]))
                == .wranglerLocal)
        #expect(
            RegistryLocator.backend(settings: nil, options: RegistryOptions(backend: .off, environment: [:])) == .off)
        #expect(RegistryBackendChoice(rawValue: "wrangler-local") == .wranglerLocal)
    }

    @Test(
        "DIDDY_MESH_CLOUDFLARE_API_BASE points the cloudflare store at a local server",
        .enabled(if: FakeCloudflareServer.isAvailable, FakeCloudflareServer.unavailableReason))
    func apiBase() async throws {
        try await withFakeCloudflare { server in
            let options = RegistryOptions(
                namespaceId: FakeCloudflareServer.namespace, accountId: FakeCloudflareServer.account,
                environment: [
                    "CLOUDFLARE_API_TOKEN": FakeCloudflareServer.token,
                    "DIDDY_MESH_CLOUDFLARE_API_BASE": server.baseURL,
                ])
            let resolved = try RegistryLocator.resolve(configPath: nil, settings: nil, options: options).get()
            #expect(resolved.backend == .cloudflare)
            try await resolved.store.put("k", value: Array("v".utf8), metadata: nil, expirationTtl: nil)
            #expect(try await resolved.store.get("k") == Array("v".utf8))
            #expect(!resolved.description.contains(FakeCloudflareServer.token))
        }
    }
}
