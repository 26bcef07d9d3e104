import Foundation

/// The parts of a wrangler config (`wrangler.json`, `wrangler.jsonc` or `wrangler.toml`)
/// that the registry needs: where it is and its top-level `kv_namespaces`.
///
/// Only the top level is read: `[env.<name>]` sections are not, because no command here
/// takes wrangler's `--env`.
public struct WranglerConfig: Sendable, Hashable {
    /// One `kv_namespaces` entry: `{binding, id, preview_id}`.
    public struct KVNamespace: Sendable, Hashable {
        /// The binding name the Worker sees (`MESH_KV`).
        public var binding: String
        /// The production namespace id.
        public var id: String?
        /// The namespace id `wrangler dev` uses.
        public var previewId: String?

        /// Creates an entry.
        public init(binding: String, id: String? = nil, previewId: String? = nil) {
            self.binding = binding
            self.id = id
            self.previewId = previewId
        }

        /// The id of the local (wrangler-local) namespace: `preview_id ?? id ?? binding`,
        /// the same rule wrangler applies for `wrangler dev`.
        public var localId: String { previewId ?? id ?? binding }
    }

    /// The file names searched for, in each directory in this order.
    public static let fileNames = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"]

    /// The config file's path.
    public var path: String
    /// The entries of `kv_namespaces`, in file order.
    public var kvNamespaces: [KVNamespace]

    /// Creates a config value.
    public init(path: String, kvNamespaces: [KVNamespace]) {
        self.path = path
        self.kvNamespaces = kvNamespaces
    }

    /// The directory holding the config file.
    public var directory: String {
        (path as NSString).deletingLastPathComponent
    }

    /// wrangler's default state folder, `<dir of wrangler config>/.wrangler/state`.
    public var stateDirectory: String {
        (directory as NSString).appendingPathComponent(".wrangler/state")
    }

    /// The namespace ids of `binding`, or nil when it is not in `kv_namespaces`: the local
    /// one (`preview_id ?? id ?? binding`) and the remote one (`id`).
    public func namespace(forBinding binding: String) -> (localId: String, remoteId: String?)? {
        guard let entry = kvNamespaces.last(where: { $0.binding == binding }) else { return nil }
        return (entry.localId, entry.id)
    }

    /// Searches `directory` and then each parent for the first of ``fileNames`` and
    /// parses it. `.success(nil)` when there is none up to the root; a file that exists but
    /// cannot be read or parsed is a failure naming the file (and line, for syntax errors).
    public static func find(startingAt directory: String) -> Result<WranglerConfig?, RegistryError> {
        var current = absolute(directory)
        while true {
            for name in fileNames {
                let candidate = (current as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue
                {
                    return load(path: candidate).map { $0 }
                }
            }
            let parent = (current as NSString).deletingLastPathComponent
            guard parent != current, !parent.isEmpty else { return .success(nil) }
            current = parent
        }
    }

    /// Reads and parses one wrangler config file; the format follows the file name
    /// (`.toml`, else JSON with comments, as wrangler reads both `.json` and `.jsonc`).
    ///
    /// The file comes with the workspace, so it must be a regular file of at most
    /// ``maximumSize`` bytes and not a symbolic link (docs/security.md).
    public static func load(path: String) -> Result<WranglerConfig, RegistryError> {
        switch WorkspaceFile.read(path, limit: maximumSize, links: .refuse) {
        case .success(let bytes): return parse(bytes, path: path)
        case .failure(let failure): return .failure(.notConfigured(failure.message))
        }
    }

    /// The largest wrangler config read; real ones are a few kilobytes.
    public static let maximumSize = 1 << 20

    /// Parses wrangler config text; `path` picks the format and names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String) -> Result<WranglerConfig, RegistryError> {
        let entries =
            path.lowercased().hasSuffix(".toml")
            ? WranglerTOML.kvNamespaces(bytes, path: path)
            : WranglerJSON.kvNamespaces(bytes, path: path)
        return entries.map { WranglerConfig(path: path, kvNamespaces: $0) }
    }

    /// `directory` made absolute against the current directory and with `.`/`..` removed,
    /// so the upward search ends at `/`.
    static func absolute(_ directory: String) -> String {
        let base =
            directory.hasPrefix("/")
            ? directory
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(directory)
        return URL(fileURLWithPath: base).standardizedFileURL.path
    }
}
