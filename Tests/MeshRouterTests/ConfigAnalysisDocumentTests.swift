import Foundation
import MeshConfig
import MeshSyntax
import Testing

@testable import MeshRouter

/// `ConfigAnalysis(document:)` finishes an analysis a caller started with
/// `MeshDocument.analyze` (`config push` loads the config that way): the findings, the
/// suppressed ones and the shadow analysis are those of analysing the text whole.
@Suite("ConfigAnalysis of an analysed document")
struct ConfigAnalysisDocumentTests {
    @Test("every config of the repository: the same findings as analysing its text")
    func sameFindings() throws {
        var withFindings = 0
        for url in RoutePlanTests.configs {
            let source = SourceText(bytes: Array(try Data(contentsOf: url)))
            let path = url.lastPathComponent
            let whole = ConfigAnalysis(source, path: path)
            let finished = ConfigAnalysis(document: MeshDocument.analyze(source, path: path))
            #expect(finished.diagnostics == whole.diagnostics, "\(path)")
            #expect(finished.suppressed == whole.suppressed, "\(path)")
            #expect((finished.shadowing == nil) == (whole.shadowing == nil), "\(path)")
            if !whole.diagnostics.isEmpty { withFindings += 1 }
        }
        #expect(withFindings >= 20)
    }

    @Test("a binary file is the one finding either way")
    func binary() {
        let source = SourceText(bytes: [0x7B, 0x00, 0x7D])
        let finished = ConfigAnalysis(document: MeshDocument.analyze(source, path: "diddy-mesh.jsonc"))
        #expect(finished.isBinary)
        #expect(finished.diagnostics == ConfigAnalysis(source, path: "diddy-mesh.jsonc").diagnostics)
    }
}
