import WireJSON

/// The starter config `diddy-mesh init` writes: small, commented, and clean under
/// `diddy-mesh check` (no finding of any severity), so that a newcomer's first check passes
/// and each part says what to change.
public enum InitTemplate {
    /// The file name `init` writes.
    public static let fileName = "diddy-mesh.jsonc"

    /// What goes into the starter.
    public struct Parameters: Sendable, Equatable {
        /// `mesh.name`, a display name.
        public var name: String
        /// The value of `$schema`.
        public var schema: String
        /// `mesh.registry.binding`, or nil to leave the registry out (with a comment saying
        /// how to add it).
        public var binding: String?

        /// Creates the parameters.
        public init(name: String, schema: String, binding: String?) {
            self.name = name
            self.schema = schema
            self.binding = binding
        }
    }

    /// The text of the starter config.
    public static func text(_ parameters: Parameters) -> String {
        """
        // The mesh config of \(commentSafe(parameters.name)), written by `diddy-mesh init`.
        //
        //   diddy-mesh check                       validates it (run it after every edit)
        //   diddy-mesh route \(fileName) --url https://example.com/api/orders/7
        //                                          shows where a request would go, and why
        //
        // Every key is described in the JSON Schema named by "$schema" below, which
        // editors use for completion; `diddy-mesh lsp` adds service-name completion, hover
        // and quick fixes.
        {
          "$schema": \(json(parameters.schema)),
          "version": 1,

          "mesh": {
            "name": \(json(parameters.name)),
        \(registryBlock(parameters.binding))

            // Applied to every service that does not set its own: a 5 s timeout per
            // attempt, and two retries with exponential backoff for failures that are safe
            // to repeat.
            "defaults": {
              "timeout": 5000,
              "retries": {
                "attempts": 2,
                "backoff": { "base": 100, "max": 2000, "jitter": "full" },
                "retryOn": ["5xx", "connect-failure"]
              }
            }
          },

          // The services: each one a Worker (or any HTTPS origin), with the endpoints it runs
          // on. Replace the example URLs with yours.
          "services": {
            // The API, on two endpoints that share the traffic in turn. Its health check
            // is probed by `diddy-mesh health probe`.
            "api": {
              "endpoints": [
                "https://api-1.example.workers.dev",
                "https://api-2.example.workers.dev"
              ],
              "loadBalancer": "round-robin",
              "healthCheck": "/health"
            },
            // The web front end: everything that is not the API.
            "web": {
              "endpoints": ["https://web.example.workers.dev"],
              "timeout": 3000
            }
          },

          // Which service a request goes to: the rules are tried in order and the first
          // that matches wins; a request that no rule matches goes to "default".
          "routing": {
            "rules": [
              // /api/orders/7 reaches the API as /orders/7.
              { "name": "api", "path": "/api/*", "service": "api", "stripPrefix": "/api" },
              // Static files are only ever read.
              { "name": "assets", "path": "/assets/*", "methods": ["GET", "HEAD"], "service": "web" }
            ],
            "default": "web"
          }
        }

        """
    }

    /// `mesh.registry`, or a comment telling how to add it. Indented for its place.
    private static func registryBlock(_ binding: String?) -> String {
        if let binding {
            return """
                    // Live data (registrations, health) lives in Workers KV: the namespace bound
                    // as \(commentSafe(binding)) in your wrangler config. `diddy-mesh check --live` and the
                    // language server's hover read it.
                    "registry": { "binding": \(json(binding)) },
                """
        }
        return """
                // No registry yet: endpoints come from this file only. For live health and
                // self-registering services, add a Workers KV namespace to your wrangler config
                // (wrangler.toml: [[kv_namespaces]] with binding = "MESH_KV") and name it here:
                //   "registry": { "binding": "MESH_KV" },
                // or run `diddy-mesh init --force` again once the wrangler config has it.
            """
    }

    /// A JSON string literal.
    private static func json(_ text: String) -> String {
        WireJSON.serialize(.string(text))
    }

    /// Text that cannot end the line comment it is put in.
    private static func commentSafe(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
