import MeshConfig
import MeshRouter
import MeshSyntax

/// A config loaded into the module: the router compiled from it once (the typed model,
/// the route table and the decision plan), and what the report tells the host about it.
///
/// The analysis is `diddy-mesh check`'s (``ConfigAnalysis``: syntax, schema, semantic and
/// router findings, after the `lint` levels and suppression comments), so the report's
/// error count is the number of errors `check` prints for the same bytes as a `.jsonc` file.
/// Only the counts and the first errors are kept: the tree and the findings would hold
/// several times the config's size for the life of the module.
final class LoadedMesh {
    /// At most this many errors are described in the report; the count covers them all.
    static let reportedFindings = 20

    /// The router; a reset replaces its state and nothing else.
    var router: Router
    /// What `mesh_route`'s answers name by ref, per rule and service of this config.
    let refs = DecisionRefs()
    let errors: Int
    let warnings: Int
    /// The first errors, each with its position.
    let findings: [Finding]

    /// One error of the config, positioned as `diddy-mesh check` positions it: 1-based line
    /// and column, the column in UTF-16 code units.
    struct Finding {
        let code: String
        let message: String
        let line: Int
        let column: Int
    }

    /// Analyses and compiles `bytes`, read as a `.jsonc` config.
    init(bytes: [UInt8]) {
        let source = SourceText(bytes: bytes)
        let analysis = ConfigAnalysis(source, path: "diddy-mesh.jsonc")
        router = Router(config: analysis.document.config)
        var errors = 0
        var warnings = 0
        var findings: [Finding] = []
        for diagnostic in analysis.diagnostics {
            switch diagnostic.severity {
            case .error:
                errors += 1
                if findings.count < Self.reportedFindings {
                    let position = source.lineIndex.position(of: diagnostic.range.start, in: .utf16)
                    findings.append(
                        Finding(
                            code: diagnostic.code.rawValue, message: diagnostic.message, line: position.line + 1,
                            column: position.character + 1))
                }
            case .warning:
                warnings += 1
            default:
                break
            }
        }
        self.errors = errors
        self.warnings = warnings
        self.findings = findings
    }

    /// `{"errors": 0, "warnings": 0, "services": 8, "rules": 7, "binding": "MESH_KV",
    /// "registeredServices": ["search"], "readHeaders": ["cookie"], "findings": [...]}`; each finding is `{"code",
    /// "message", "line", "column"}`. `binding` is `mesh.registry.binding` (null when the
    /// config names none), so a host can tell whether it reads the namespace the tools write;
    /// `registeredServices` are the services without static endpoints, whose endpoints come
    /// from `service:<name>`, so a host reads those registrations and no others;
    /// `readHeaders` are the request headers decisions read (``Router/readHeaders``), so a
    /// host can pass only those.
    var report: [UInt8] {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("errors")
        json.integer(errors)
        json.key("warnings")
        json.integer(warnings)
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
        json.key("findings")
        json.beginArray()
        for finding in findings {
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
