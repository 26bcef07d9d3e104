import ArgumentParser
import Foundation
import MeshConfig
import MeshRegistry

/// The registry options of docs/guide/ci.md, shared by every command that touches the registry.
struct RegistryOptionGroup: ParsableArguments {
    @Option(
        name: .customLong("registry"), help: "Which registry: wrangler-local, cloudflare or off.",
        completion: .list(RegistryBackendChoice.allCases.map(\.rawValue)))
    var registry: String?

    @Option(
        name: .customLong("persist-to"),
        help: "wrangler's state folder (default: <wrangler config dir>/.wrangler/state); the KV root is DIR/v3/kv.",
        completion: .directory)
    var persistTo: String?

    @Option(name: .customLong("namespace-id"), help: "The KV namespace id.")
    var namespaceId: String?

    @Option(name: .customLong("account-id"), help: "The Cloudflare account id.")
    var accountId: String?

    func validate() throws {
        if let registry, RegistryBackendChoice(rawValue: registry) == nil {
            throw ValidationError("unknown registry '\(registry)': use wrangler-local, cloudflare or off")
        }
    }

    /// The options for ``RegistryLocator``, with the process environment (the API token is
    /// read from `CLOUDFLARE_API_TOKEN` only, never from flags).
    var options: RegistryOptions {
        RegistryOptions(
            backend: registry.flatMap(RegistryBackendChoice.init(rawValue:)),
            persistTo: persistTo,
            namespaceId: namespaceId,
            accountId: accountId,
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// Opens the registry that an already analysed config names.
    func open(document: MeshDocument?, configPath: String?) -> Result<ResolvedRegistry, RegistryError> {
        RegistryLocator.resolve(configPath: configPath, settings: document?.config.mesh.registry, options: options)
    }

    /// A reader over the registry an analysed config names, for the commands that read
    /// live data once (`check --live`, `route --live`), with its description. The deadline
    /// is longer than the editor's: a command run on purpose may wait for a slow registry.
    func reader(document: MeshDocument, configPath: String?) -> Result<
        (reader: RegistryReader, description: String), RegistryError
    > {
        open(document: document, configPath: configPath).map { resolved in
            (RegistryReader(store: resolved.store, deadline: .seconds(10)), resolved.description)
        }
    }
}
