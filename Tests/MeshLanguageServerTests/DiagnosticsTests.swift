import Foundation
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

private let uri = "file:///diag/mesh.json"

@Suite("diagnostics")
struct DiagnosticsTests {
    @Test("conversion: code, codeDescription, severity, source, related information, tags, help")
    func conversion() {
        let text = "{\"services\": {\"a\": {}, \"a\": {}}}"
        let source = SourceText(text)
        let converter = PositionConverter(lineIndex: source.lineIndex, encoding: .utf16)
        let analysis = DocumentAnalysis(source: source, dialectName: "mesh.json")
        let duplicate = analysis.diagnostics.first { $0.code == .duplicateKey }
        let json = duplicate.map { LSPDiagnostic.json($0, uri: uri, converter: converter) }
        #expect(json?["code"] == "DM102")
        #expect(json?["codeDescription"]?["href"] == .string(DiagnosticCode.duplicateKey.documentationURL))
        #expect(json?["severity"] == 1)
        #expect(json?["source"] == "diddy-mesh")
        #expect(json?["relatedInformation"]?[0]?["location"]?["uri"] == .string(uri))
        #expect(
            json?["relatedInformation"]?[0]?["location"]?["range"] == converter.range(ByteRange(start: 14, end: 17)))
        let clean = DocumentAnalysis(source: SourceText("{\"services\": {\"a\": {}}}"), dialectName: "mesh.json")
        let unused = clean.diagnostics.first { $0.code == .unusedService }.map {
            LSPDiagnostic.json($0, uri: uri, converter: converter)
        }
        #expect(unused?["tags"] == [1])
        #expect(unused?["severity"] == 4)
        let helped = Diagnostic(.undefinedService, "unknown", at: .empty(at: 0), help: ["define it"])
        #expect(LSPDiagnostic.json(helped, uri: uri, converter: converter)["message"] == "unknown\nhelp: define it")
    }

    @Test("the router's checks are included: shadowed rules with the shadowing rule as related information")
    func routerChecks() {
        let analysis = Marked(
            """
            {"services": {"a": {}}, "routing": {"rules": [
              {"path": "/api/*", "service": "a"},
              {"path": "/api/users", "service": "a"}
            ]}}
            """
        ).analysis()
        let shadowed = analysis.diagnostics.first { $0.code == .shadowedRule }
        #expect(
            shadowed?.message == "rule #1 /api/users is shadowed by the earlier rule #0 /api/*, which matches every "
                + "request it matches: GET /api/users goes to #0 /api/*")
        #expect(shadowed?.related.map(\.message) == ["the earlier rule #0 /api/*"])
        #expect(shadowed?.fixes.map(\.title) == ["Remove the shadowed rule"])
    }

    @Test("every static code of the check fixtures is reported through the server")
    func everyStaticCode() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MeshCommandsTests/Fixtures/diagnostics")
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
            .filter { $0.hasSuffix(".jsonc") || $0.hasSuffix(".mesh.json") }
        var seen = Set<String>()
        for file in files {
            let code = String(file.prefix(5))
            let bytes = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(file)))
            let analysis = DocumentAnalysis(source: SourceText(bytes: bytes), dialectName: file)
            #expect(analysis.diagnostics.contains { $0.code.rawValue == code }, "\(file)")
            seen.insert(code)
        }
        let staticCodes = DiagnosticCode.allCases.map(\.rawValue).filter { !$0.hasPrefix("DM6") }
        #expect(seen == Set(staticCodes))
    }

    @Test("push: didOpen publishes with the version, didChange republishes, didClose clears")
    func push() async {
        let broken = "{\"services\": {}, \"routing\": {\"default\": \"x\"}}"
        var open = Session()
        open.initialize()
        open.open(uri, broken, version: 4)
        let opened = await open.run().sent.notifications("textDocument/publishDiagnostics").compactMap(\.["params"])
        #expect(opened.count == 1)
        #expect(opened.first?["version"] == 4)
        #expect(opened.first?["diagnostics"]?[0]?["code"] == "DM301")

        var change = Session()
        change.initialize()
        change.open(uri, broken, version: 4)
        change.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(uri), "version": 5],
                "contentChanges": [["text": "{\"services\": {\"x\": {}}, \"routing\": {\"default\": \"x\"}}"]],
            ])
        let changed = await change.run().sent.notifications("textDocument/publishDiagnostics").compactMap(\.["params"])
        #expect(changed.last?["version"] == 5)
        #expect(changed.last?["diagnostics"] == [])

        var close = Session()
        close.initialize()
        close.open(uri, broken, version: 4)
        close.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
        let closed = await close.run().sent.notifications("textDocument/publishDiagnostics").compactMap(\.["params"])
        #expect(closed.last?["diagnostics"] == [])
        #expect(closed.last?["version"] == nil)
    }

    @Test("pull: full report with a result id, then unchanged for the same version; disk files are read")
    func pull() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-pull-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let disk = directory.appendingPathComponent("disk.jsonc")
        try Data("{\"services\": {}, \"routing\": {\"default\": \"gone\"}}".utf8).write(to: disk)
        let diskURI = disk.absoluteString

        var first = Session()
        first.initialize()
        first.open(uri, "{\"services\": {\"a\": {}}, \"routing\": {\"default\": \"a\"}}")
        first.request(1, "textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])
        first.request(2, "textDocument/diagnostic", ["textDocument": ["uri": .string(diskURI)]])
        let (_, sent) = await first.run()
        let report = sent.response(1)?["result"]
        #expect(report?["kind"] == "full")
        #expect(report?["items"] == [])
        #expect(sent.response(2)?["result"]?["items"]?[0]?["code"] == "DM301", "read from disk")

        var opened = Session()
        opened.initialize()
        opened.open(diskURI, "{\"services\": {}}")
        opened.request(3, "textDocument/diagnostic", ["textDocument": ["uri": .string(diskURI)]])
        #expect(await opened.run().sent.response(3)?["result"]?["items"] == [], "the open text wins over the disk")
        #expect(report?["resultId"]?.stringValue != nil)

        let fixture = Fixture("{\"services\": {}}")
        let full = await fixture.call(DocumentDiagnosticHandler.self, fixture.documentParams())
        let previous = try #require(full["resultId"])
        let unchanged = await fixture.call(
            DocumentDiagnosticHandler.self, fixture.documentParams([("previousResultId", previous)]))
        #expect(unchanged == ["kind": "unchanged", "resultId": previous])
        let stale = await fixture.call(
            DocumentDiagnosticHandler.self, fixture.documentParams([("previousResultId", "other")]))
        #expect(stale["kind"] == "full")
    }
}
