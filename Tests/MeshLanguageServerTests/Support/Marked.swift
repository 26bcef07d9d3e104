import MeshSyntax
import MeshTestSupport

@testable import MeshLanguageServer

extension Marked {
    /// The analysis of the text as a `.jsonc` (or the given) file.
    func analysis(name: String = "mesh.jsonc") -> DocumentAnalysis {
        DocumentAnalysis(source: SourceText(text), dialectName: name)
    }
}

/// A small but complete mesh used by several feature tests.
enum Sample {
    static let mesh = """
        {
          "version": 1,
          "services": {
            "user-service": {
              "endpoints": ["https://users.example.com"],
              "timeout": 3000
            },
            "orders": {
              "endpoints": [{ "url": "https://orders.example.com", "region": "WEU" }],
              "loadBalancer": "weighted",
              "fallback": "user-service"
            }
          },
          "routing": {
            "rules": [
              { "name": "users", "path": "/users/*", "service": "user-service" },
              { "path": "/orders/*", "split": [{ "service": "orders", "weight": 1 }] }
            ],
            "default": "orders"
          }
        }
        """
}
