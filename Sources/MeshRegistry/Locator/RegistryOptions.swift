import Foundation

/// Which KV backend holds the registry (`--registry`).
public enum RegistryBackendChoice: String, Sendable, Hashable, CaseIterable {
    /// The on-disk store of `wrangler dev` / Miniflare.
    case wranglerLocal = "wrangler-local"
    /// The Workers KV REST API.
    case cloudflare
    /// No registry: live features report "registry is off".
    case off
}

/// The registry options of docs/guide/ci.md plus the environment they are read with.
public struct RegistryOptions: Sendable, Hashable {
    /// `--registry`; nil picks by the rules of ``RegistryLocator``.
    public var backend: RegistryBackendChoice?
    /// `--persist-to DIR`: wrangler's state folder; the KV root is `DIR/v3/kv`.
    public var persistTo: String?
    /// `--namespace-id ID`.
    public var namespaceId: String?
    /// `--account-id ID`.
    public var accountId: String?
    /// The environment: `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_ACCOUNT_ID`, and
    /// `DIDDY_MESH_CLOUDFLARE_API_BASE` (a base URL for tests against a local server).
    public var environment: [String: String]
    /// Whether Cloudflare account and namespace ids that come from the workspace (the mesh
    /// config, the wrangler config) may receive the API token. The CLI, run on purpose,
    /// trusts them; the language server, which runs on whatever repository is opened, only
    /// when the user allowed it (docs/security.md).
    public var workspaceIdsTrusted = true

    /// Creates options; the environment defaults to the process's.
    public init(
        backend: RegistryBackendChoice? = nil, persistTo: String? = nil, namespaceId: String? = nil,
        accountId: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.backend = backend
        self.persistTo = persistTo
        self.namespaceId = namespaceId
        self.accountId = accountId
        self.environment = environment
    }

    /// A non-empty environment value; an empty variable counts as unset.
    func env(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// The environment variables the registry reads (the names wrangler uses, plus one for tests).
public enum RegistryEnvironment {
    /// The API token for the cloudflare backend.
    public static let apiToken = "CLOUDFLARE_API_TOKEN"
    /// The account id, when neither the config nor `--account-id` gives one.
    public static let accountId = "CLOUDFLARE_ACCOUNT_ID"
    /// Overrides `https://api.cloudflare.com/client/v4` (tests against a local server).
    public static let apiBase = "DIDDY_MESH_CLOUDFLARE_API_BASE"
    /// The default API base.
    public static let defaultAPIBase = "https://api.cloudflare.com/client/v4"
}

/// A store ready to use, with a description for messages and `--verbose` output.
public struct ResolvedRegistry: Sendable {
    /// The store.
    public var store: any KVStore
    /// Which backend it is.
    public var backend: RegistryBackendChoice
    /// The namespace id the store uses.
    public var namespaceId: String
    /// `wrangler-local namespace abc (/p/.wrangler/state/v3/kv)` or
    /// `cloudflare namespace abc (account def)`; never contains the token.
    public var description: String
}
