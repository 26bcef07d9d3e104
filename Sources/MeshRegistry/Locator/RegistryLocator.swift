import Foundation
import MeshConfig

/// Picks and opens the registry store from `mesh.registry`, the registry options and the
/// nearest wrangler config (docs/registry-resolution.md).
///
/// Backend: `--registry` when given; else `cloudflare` when an account id is configured
/// (`mesh.registry.accountId` or `--account-id`), or `CLOUDFLARE_ACCOUNT_ID` is set and
/// `mesh.registry.namespaceId` names a namespace, and `CLOUDFLARE_API_TOKEN` is set; else
/// `wrangler-local`.
///
/// Namespace: `--namespace-id`, else `mesh.registry.namespaceId`, else
/// `mesh.registry.binding` looked up in the wrangler config's `kv_namespaces` (locally
/// `preview_id ?? id ?? binding`, remotely `id`). When nothing names a namespace and the
/// wrangler config has exactly one kv namespace, that one is used: a project with a
/// single KV binding needs no `mesh.registry` at all.
///
/// Local root: `--persist-to DIR` + `/v3/kv`, else `<wrangler config dir>/.wrangler/state/v3/kv`;
/// with an explicit namespace id and no wrangler config, the search's start directory
/// stands in for the wrangler config's directory (where `wrangler dev` would run).
///
/// The wrangler config is searched for upward from the mesh config's directory, or from
/// the current directory when there is no config path, and only when it is needed.
public enum RegistryLocator {
    /// Resolves and opens the store; every failure is a ``RegistryError`` that says what
    /// to add or fix, and none mentions the API token's value.
    public static func resolve(configPath: String?, settings: RegistrySettings?, options: RegistryOptions) -> Result<
        ResolvedRegistry, RegistryError
    > {
        var context = Context(configPath: configPath, settings: settings, options: options)
        switch backend(settings: settings, options: options) {
        case .off:
            return .failure(.notConfigured("registry is off"))
        case .wranglerLocal:
            return context.local()
        case .cloudflare:
            return context.cloudflare()
        }
    }

    /// The backend the rules above pick, before anything is opened.
    public static func backend(settings: RegistrySettings?, options: RegistryOptions) -> RegistryBackendChoice {
        if let explicit = options.backend { return explicit }
        guard options.env(RegistryEnvironment.apiToken) != nil else { return .wranglerLocal }
        if options.accountId != nil || settings?.accountId != nil { return .cloudflare }
        if options.env(RegistryEnvironment.accountId) != nil, settings?.namespaceId != nil { return .cloudflare }
        return .wranglerLocal
    }
}

/// One resolution: the inputs and the wrangler config, searched for at most once.
private struct Context {
    let configPath: String?
    let settings: RegistrySettings?
    let options: RegistryOptions
    private var searched: Result<WranglerConfig?, RegistryError>?

    init(configPath: String?, settings: RegistrySettings?, options: RegistryOptions) {
        self.configPath = configPath
        self.settings = settings
        self.options = options
    }

    /// Where the upward search starts.
    var startDirectory: String {
        guard let configPath else { return WranglerConfig.absolute(".") }
        return WranglerConfig.absolute((configPath as NSString).deletingLastPathComponent.nonEmpty ?? ".")
    }

    var explicitNamespace: String? { options.namespaceId ?? settings?.namespaceId?.value }
    var binding: String? { settings?.binding?.value }

    mutating func wrangler() -> Result<WranglerConfig?, RegistryError> {
        if let searched { return searched }
        let result = WranglerConfig.find(startingAt: startDirectory)
        searched = result
        return result
    }

    // MARK: wrangler-local

    mutating func local() -> Result<ResolvedRegistry, RegistryError> {
        let namespace: String
        switch localNamespace() {
        case .success(let id): namespace = id
        case .failure(let error): return .failure(error)
        }
        let state: String
        // The folder the user chose; the store follows no symbolic link below it.
        let trustedBase: String
        if let persistTo = options.persistTo {
            state = WranglerConfig.absolute(persistTo)
            trustedBase = state
        } else {
            switch wrangler() {
            case .success(let config):
                let directory = config?.directory ?? startDirectory
                state = (directory as NSString).appendingPathComponent(".wrangler/state")
                trustedBase = directory
            case .failure(let error): return .failure(error)
            }
        }
        let root = (state as NSString).appendingPathComponent("v3/kv")
        do {
            let store = try WranglerLocalKVStore(root: root, namespaceId: namespace, trustedBase: trustedBase)
            return .success(
                ResolvedRegistry(
                    store: store, backend: .wranglerLocal, namespaceId: namespace,
                    description: "wrangler-local namespace \(namespace) (\(root))"))
        } catch let error as RegistryError {
            return .failure(error)
        } catch {
            return .failure(.unreachable("cannot open the wrangler-local store at \(root): \(error)"))
        }
    }

    private mutating func localNamespace() -> Result<String, RegistryError> {
        if let explicitNamespace { return .success(explicitNamespace) }
        return fromWrangler { _, entry in .success(entry.localId) }
    }

    // MARK: cloudflare

    mutating func cloudflare() -> Result<ResolvedRegistry, RegistryError> {
        let workspaceAccount = options.workspaceIdsTrusted ? settings?.accountId?.value : nil
        guard let accountId = options.accountId ?? workspaceAccount ?? options.env(RegistryEnvironment.accountId) else {
            if let untrusted = settings?.accountId?.value {
                return .failure(Self.untrusted("account id \(untrusted) comes from the mesh config"))
            }
            return .failure(
                .notConfigured(
                    "the cloudflare registry needs an account id: set mesh.registry.accountId, pass --account-id or "
                        + "set \(RegistryEnvironment.accountId)"
                ))
        }
        guard let token = options.env(RegistryEnvironment.apiToken) else {
            return .failure(
                .unauthorized(
                    "\(RegistryEnvironment.apiToken) is not set; the cloudflare registry needs an API token with "
                        + "Workers KV access"
                ))
        }
        let namespace: String
        if let trusted = options.namespaceId {
            namespace = trusted
        } else if !options.workspaceIdsTrusted {
            return .failure(Self.untrusted("the namespace id comes from the workspace"))
        } else {
            switch remoteNamespace() {
            case .success(let id): namespace = id
            case .failure(let error): return .failure(error)
            }
        }
        // An id that is not one never reaches the network: the token goes to a URL built
        // from these ids (docs/security.md).
        for (name, value) in [("account id", accountId), ("namespace id", namespace)] where !Self.isCloudflareId(value)
        {
            return .failure(
                .invalidArgument(
                    "the cloudflare \(name) '\(value)' is not 32 hex digits; nothing was sent to Cloudflare"))
        }
        let base = options.env(RegistryEnvironment.apiBase) ?? RegistryEnvironment.defaultAPIBase
        let store = CloudflareKVStore(accountId: accountId, namespaceId: namespace, token: token, baseURL: base)
        return .success(
            ResolvedRegistry(
                store: store, backend: .cloudflare, namespaceId: namespace,
                description: "cloudflare namespace \(namespace) (account \(accountId))"))
    }

    /// Whether `id` has the form of a Cloudflare account or namespace id: 32 hex digits.
    static func isCloudflareId(_ id: String) -> Bool {
        id.utf8.count == 32
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            }
    }

    /// Why the language server will not send the token to ids from the workspace.
    static func untrusted(_ what: String) -> RegistryError {
        .notConfigured(
            "the cloudflare registry is not used for this workspace until you allow it (\(what), and the API token "
                + "is only sent where you chose): set diddyMesh.allowCloudflare to true in your editor's user "
                + "settings, "
                + "or give diddyMesh.accountId and diddyMesh.namespaceId there yourself")
    }

    private mutating func remoteNamespace() -> Result<String, RegistryError> {
        if let explicitNamespace { return .success(explicitNamespace) }
        return fromWrangler { config, entry in
            guard let id = entry.id else {
                return .failure(
                    .notConfigured(
                        "the kv namespace \(entry.binding) in \(config.path) has no id; the cloudflare registry "
                            + "needs one (or pass --namespace-id)"
                    ))
            }
            return .success(id)
        }
    }

    // MARK: Binding resolution

    /// The namespace entry the binding (or the only entry) names, passed to `pick`.
    private mutating func fromWrangler(
        _ pick: (WranglerConfig, WranglerConfig.KVNamespace) -> Result<String, RegistryError>
    ) -> Result<String, RegistryError> {
        let found: WranglerConfig?
        switch wrangler() {
        case .success(let config): found = config
        case .failure(let error): return .failure(error)
        }
        let files = WranglerConfig.fileNames.joined(separator: ", ")
        guard let config = found else {
            if let binding {
                return .failure(
                    .notConfigured(
                        "mesh.registry.binding is \(binding) but there is no \(files) in \(startDirectory) or above; "
                            + "add one with a kv_namespaces entry for \(binding), or set mesh.registry.namespaceId "
                            + "or --namespace-id"
                    ))
            }
            return .failure(
                .notConfigured(
                    "no registry namespace: add \"registry\": {\"binding\": \"MESH_KV\"} to mesh and a kv_namespaces "
                        + "entry for it to "
                        + "wrangler.toml (or wrangler.json), or pass --namespace-id"))
        }
        if let binding {
            guard let entry = config.kvNamespaces.last(where: { $0.binding == binding }) else {
                let known = config.kvNamespaces.map(\.binding)
                let hint = known.isEmpty ? "it has none" : "it has " + known.joined(separator: ", ")
                return .failure(.bindingNotFound("\(binding) is not in the kv_namespaces of \(config.path) (\(hint))"))
            }
            return pick(config, entry)
        }
        guard config.kvNamespaces.count == 1, let only = config.kvNamespaces.first else {
            let detail =
                config.kvNamespaces.isEmpty
                ? "\(config.path) has no kv_namespaces; add one and set mesh.registry.binding to its binding"
                : "\(config.path) has \(config.kvNamespaces.count) kv namespaces ("
                    + config.kvNamespaces.map(\.binding).joined(separator: ", ")
                    + "); set mesh.registry.binding to choose one"
            return .failure(.notConfigured(detail))
        }
        return pick(config, only)
    }
}

extension String {
    /// Nil for the empty string, so `??` can supply a default.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
