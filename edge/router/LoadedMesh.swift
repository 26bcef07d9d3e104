import MeshConfig
import MeshRouter

/// A route plan loaded into the module: the router it carries compiled (the route table and
/// the decision plan), and what the report tells the host about the config.
///
/// The plan comes from `diddy-mesh config plan` or `config push` (docs/edge.md, "The route
/// plan"), which analysed the config as `diddy-mesh check` does: its error count is the
/// number of errors `check` prints for the config, and its findings the first of them.
final class LoadedMesh {
    /// The router; a reset replaces its state and nothing else.
    var router: Router
    /// What `mesh_route`'s answers name by ref, per rule and service of this config.
    let refs = DecisionRefs()
    /// The plan: its counts, first errors and config digest, and its model, which the
    /// router shares rather than copies.
    private let plan: RoutePlan

    /// Takes `plan`'s router, which it carries compiled.
    init(plan: RoutePlan) {
        router = plan.router
        self.plan = plan
    }

    /// `{"errors": 0, "warnings": 0, "services": 8, "rules": 7, "binding": "MESH_KV",
    /// "registeredServices": ["search"], "readHeaders": ["cookie"], "config": "<sha256>",
    /// "findings": [...]}`; each finding is `{"code", "message", "line", "column"}`. `binding`
    /// is `mesh.registry.binding` (null when the config names none), so a host can tell
    /// whether it reads the namespace the tools write; `registeredServices` are the services
    /// without static endpoints, whose endpoints come from `service:<name>`, so a host reads
    /// those registrations and no others; `readHeaders` are the request headers decisions
    /// read (``Router/readHeaders``), so a host can pass only those; `config` is the sha256
    /// of the config text the plan was compiled from.
    var report: [UInt8] {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("errors")
        json.integer(plan.errors)
        json.key("warnings")
        json.integer(plan.warnings)
        json.key("services")
        json.integer(router.config.services.count)
        json.key("rules")
        json.integer(router.config.routing.rules.count)
        json.key("binding")
        json.string(router.config.mesh.registry?.binding?.value)
        json.key("registeredServices")
        json.beginArray()
        for service in router.config.services where service.endpoints == nil { json.string(service.name.value) }
        json.endArray()
        json.key("readHeaders")
        json.beginArray()
        for name in router.readHeaders { json.string(name) }
        json.endArray()
        json.key("config")
        json.string(plan.configSHA256)
        json.key("findings")
        json.beginArray()
        for finding in plan.findings {
            json.beginObject()
            json.key("code")
            json.string(finding.code)
            json.key("message")
            json.string(finding.message)
            json.key("line")
            json.integer(finding.line)
            json.key("column")
            json.integer(finding.column)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
