/// Generates realistic mesh configs of a requested size: many services with endpoints in
/// several regions, policies, and rules that route to every service.
enum ConfigGenerator {
    static let regions = [("WEU", "EU"), ("ENAM", "NA"), ("SEAS", "AS"), ("OC", "OC"), ("NSAM", "SA")]

    /// A config of at least `bytes` bytes.
    static func config(approximateBytes bytes: Int) -> String {
        var services: [String] = []
        var rules: [String] = []
        var index = 0
        var size = 0
        while size < bytes {
            let name = "svc-\(index)"
            let (region, continent) = regions[index % regions.count]
            let (otherRegion, otherContinent) = regions[(index + 1) % regions.count]
            let service = """
                    "\(name)": {
                      // Service \(index) of the generated mesh.
                      "endpoints": [
                        { "url": "https://\(name)-a.example.workers.dev", "region": "\(region)", "continent": "\(continent)", "weight": 3 },
                        { "url": "https://\(name)-b.example.workers.dev", "region": "\(otherRegion)", "continent": "\(otherContinent)", "weight": 1 },
                        "https://\(name)-c.example.workers.dev"
                      ],
                      "loadBalancer": "\(index % 2 == 0 ? "geographic" : "weighted")",
                      "healthCheck": { "path": "/health", "interval": 10000, "timeout": 2000 },
                      "timeout": \(1000 + index % 20 * 100),
                      "retries": { "attempts": 2, "backoff": { "base": 100, "max": 2000 }, "retryOn": ["5xx", "timeout"] },
                      "circuitBreaker": { "failureThreshold": 5, "resetTimeout": 30000 }
                    }
                """
            let rule: String
            if index % 5 == 4 {
                rule = """
                          { "name": "r\(index)", "path": "/api/v1/\(name)/:id/*", "split": [{ "service": "\(name)", "weight": 90 }, { "service": "svc-\(index - 1)", "weight": 10 }], "stickyBy": "header:x-user" }
                    """
            } else {
                rule = """
                          { "name": "r\(index)", "path": "/api/v1/\(name)/*", "methods": ["GET", "POST"], "service": "\(name)" }
                    """
            }
            services.append(service)
            rules.append(rule)
            size += service.utf8.count + rule.utf8.count
            index += 1
        }
        return """
            {
              "$schema": "../schemas/diddy-mesh.schema.json",
              "version": 1,
              "mesh": { "name": "generated", "defaults": { "timeout": 5000 } },
              "services": {
            \(services.joined(separator: ",\n"))
              },
              "routing": {
                "rules": [
            \(rules.joined(separator: ",\n"))
                ],
                "default": "svc-0"
              }
            }

            """
    }

    /// The same config without comments, for tools that only read JSON.
    static func strippingComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingPrefix(while: { $0 == " " }).hasPrefix("//") }
            .joined(separator: "\n")
    }
}

extension Substring {
    func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        var copy = self
        while let first = copy.first, predicate(first) { copy = copy.dropFirst() }
        return copy
    }
}
