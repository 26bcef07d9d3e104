import MeshCommands
import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

@Suite("check: a large file analysed on two threads")
struct ParallelCheckTests {
    /// A config well over the size from which `check` analyses on two threads, with
    /// findings of the schema, the model's checks and the router's (shadowed rules among
    /// them), suppression comments and duplicate keys.
    static func largeConfig(services: Int) -> String {
        var text = "{\n  \"version\": 1,\n  \"services\": {\n"
        for index in 0..<services {
            let scheme = index % 7 == 0 ? "http" : "https"
            let extra = index % 11 == 0 ? ", \"timout\": 5" : ""
            text += "    \"svc-\(index)\": {\"endpoints\": [\"\(scheme)://svc-\(index).example.dev\"], "
            // A few duplicate keys: each is a DM102, and a hundred syntax findings stop the
            // router's shadow analysis.
            let timeouts = index % 13 == 0 ? "\"timeout\": 10, \"timeout\": -1" : "\"timeout\": 100"
            text += "\(timeouts)\(extra)},\n"
        }
        text += "    \"last\": {\"endpoints\": [\"https://last.example.dev\"]}\n  },\n  \"routing\": {\"rules\": [\n"
        for index in 0..<services {
            let path = index % 17 == 0 ? "/api/*" : "/api/svc-\(index)/*"
            let comment = index % 19 == 0 ? "    // diddy-mesh-ignore DM402\n" : ""
            text += comment
            text +=
                "    {\"path\": \"\(path)\", \"methods\": [\"POST\"], \"retries\": 2, \"service\": \"svc-\(index)\"},\n"
        }
        text += "    {\"path\": \"/[\", \"service\": \"missing\"}\n  ]}\n}\n"
        return text
    }

    @Test("the findings are those of the analysis on one thread")
    func sameFindings() {
        let text = Self.largeConfig(services: 900)
        let bytes = Array(text.utf8)
        #expect(bytes.count > CheckedFile.parallelThreshold)
        let checked = CheckedFile.check(path: "mesh.jsonc", bytes: bytes)
        let serial = ConfigAnalysis(SourceText(bytes: bytes), path: "mesh.jsonc")
        #expect(checked.diagnostics.count > 100)
        #expect(checked.diagnostics.contains { $0.code == .shadowedRule })
        #expect(!checked.suppressed.isEmpty)
        #expect(checked.diagnostics == serial.diagnostics)
        #expect(checked.suppressed == serial.suppressed)
        #expect(checked.document?.config == serial.document.config)
    }

    @Test("a binary file is one finding on either path")
    func binaryFile() {
        let bytes = [UInt8](repeating: 0, count: CheckedFile.parallelThreshold + 1)
        let checked = CheckedFile.check(path: "mesh.json", bytes: bytes)
        #expect(checked.diagnostics.map(\.code) == [.syntaxError])
        #expect(checked.document == nil)
    }
}
