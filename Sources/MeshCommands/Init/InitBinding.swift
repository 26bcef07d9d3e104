import MeshRegistry

/// How `diddy-mesh init` decides `mesh.registry.binding` from the wrangler config it finds.
///
/// - No wrangler config: the registry is left out, unless `--binding` names one (the
///   user is about to add it to wrangler's `kv_namespaces`).
/// - A wrangler config without `kv_namespaces`: the registry is left out; `--binding` is
///   an error, since `check --live` could never resolve it.
/// - One namespace: it is used.
/// - Several: `--binding` picks one of them; without it, the one whose name says it is
///   the mesh's (it contains `MESH` or `REGISTRY`) when exactly one does, else an error
///   listing the choices.
public enum InitBinding {
    /// What the starter config gets.
    public struct Choice: Sendable, Equatable {
        /// The binding to write, or nil to leave `mesh.registry` out.
        public var binding: String?
        /// A sentence for the user about how the binding was chosen, or why there is none.
        public var note: String
    }

    /// Chooses the binding. `wranglerName` is how messages name the wrangler config
    /// (a path relative to the folder being initialised).
    public static func choose(wrangler: WranglerConfig?, wranglerName: String, requested: String?) -> Result<
        Choice, InitFailure
    > {
        guard let wrangler else {
            if let requested {
                return .success(
                    Choice(
                        binding: requested,
                        note:
                            "registry: binding \(requested) (no wrangler config found yet: add it to the "
                            + "kv_namespaces of your wrangler config)"
                    ))
            }
            return .success(
                Choice(
                    binding: nil,
                    note: "registry: none (no wrangler config found here or above; the config says how to add one)"))
        }
        var bindings: [String] = []
        for namespace in wrangler.kvNamespaces where !bindings.contains(namespace.binding) {
            bindings.append(namespace.binding)
        }
        if let requested {
            guard bindings.contains(requested) else {
                let available = bindings.isEmpty ? "it has no kv_namespaces" : "it has \(list(bindings))"
                return .failure(
                    InitFailure("--binding \(requested) is not a KV namespace of \(wranglerName): \(available)"))
            }
            return .success(Choice(binding: requested, note: "registry: binding \(requested) from \(wranglerName)"))
        }
        switch bindings.count {
        case 0:
            return .success(
                Choice(
                    binding: nil,
                    note: "registry: none (\(wranglerName) has no kv_namespaces; the config says how to add one)"))
        case 1:
            return .success(Choice(binding: bindings[0], note: "registry: binding \(bindings[0]) from \(wranglerName)"))
        default:
            let named = bindings.filter(looksLikeMeshRegistry)
            guard named.count == 1 else {
                return .failure(
                    InitFailure(
                        "\(wranglerName) has \(bindings.count) KV namespaces (\(list(bindings))): choose the mesh "
                            + "registry with --binding NAME"
                    ))
            }
            return .success(
                Choice(
                    binding: named[0],
                    note:
                        "registry: binding \(named[0]) from \(wranglerName), the one of its \(bindings.count) KV "
                        + "namespaces named for the mesh (choose another with --binding NAME)"
                ))
        }
    }

    /// Whether a binding's name says it holds the mesh registry (`MESH_KV`, `REGISTRY`).
    static func looksLikeMeshRegistry(_ binding: String) -> Bool {
        let upper = binding.uppercased()
        return upper.contains("MESH") || upper.contains("REGISTRY")
    }

    private static func list(_ bindings: [String]) -> String {
        bindings.joined(separator: ", ")
    }
}

/// Why `init` wrote nothing; the command prints it and exits 2.
public struct InitFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence for the user.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
