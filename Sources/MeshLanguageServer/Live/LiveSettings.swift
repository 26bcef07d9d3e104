import MeshRegistry
import WireJSON

/// The `diddyMesh` settings of docs/guide/editors.md, read from `initializationOptions` and
/// `workspace/didChangeConfiguration`.
///
/// Clients send them in two shapes: nested objects (`{"live": {"deadlineMs": 300}}`, what
/// VS Code sends for a section) and dotted keys (`{"live.deadlineMs": 300}`, what people
/// write by hand in Neovim or Helix). Both are accepted; a value of the wrong type is
/// ignored with a warning, so one typo does not switch the registry off.
struct LiveSettings: Sendable, Equatable {
    /// `registry`: the backend; nil picks by the rules of docs/registry-resolution.md.
    var registry: RegistryBackendChoice?
    /// `persistTo`: wrangler's state folder.
    var persistTo: String?
    /// `namespaceId`.
    var namespaceId: String?
    /// `accountId`.
    var accountId: String?
    /// `live.deadlineMs`: the longest hover and code lens wait for the registry.
    var deadlineMs = 500
    /// `live.cacheSeconds`: how long a registry answer is reused.
    var cacheSeconds = 5.0
    /// `health.staleAfterSeconds`: health records older than this are shown as stale.
    var staleAfterSeconds = 30.0
    /// `diagnostics.live`: whether DM6xx diagnostics are published.
    var liveDiagnostics = true
    /// `allowCloudflare`: whether Cloudflare ids from the workspace may get the API token.
    var allowCloudflare = false

    init() {}

    /// Reads `settings` (the `diddyMesh` section or an object holding it); `warn` hears
    /// about values it had to ignore.
    init(_ settings: JSONValue, warn: (String) -> Void = { _ in }) {
        let section = settings["diddyMesh"] ?? settings
        for descriptor in SettingDescriptor.all {
            guard let value = Self.lookup(descriptor.path, in: section), value != .null else { continue }
            if !descriptor.apply(value, &self) {
                warn(
                    "ignored the setting diddyMesh.\(descriptor.key): expected \(descriptor.type.rawValue)"
                        + (descriptor.choices.isEmpty ? "" : " (one of \(descriptor.choices.joined(separator: ", ")))"))
            }
        }
    }

    /// The registry options these settings give, with the process environment (the API
    /// token is read from the environment only, never from settings).
    var registryOptions: RegistryOptions {
        var options = RegistryOptions(
            backend: registry, persistTo: persistTo, namespaceId: namespaceId, accountId: accountId)
        options.workspaceIdsTrusted = allowCloudflare
        return options
    }

    /// A nested or dotted key: `["live", "deadlineMs"]` matches `live.deadlineMs` at any
    /// level of nesting.
    private static func lookup(_ path: [String], in value: JSONValue) -> JSONValue? {
        guard case .object(let object) = value, let first = path.first else { return nil }
        if let dotted = object[path.joined(separator: ".")] { return dotted }
        guard let nested = object[first] else { return nil }
        return path.count == 1 ? nested : lookup(Array(path.dropFirst()), in: nested)
    }
}
