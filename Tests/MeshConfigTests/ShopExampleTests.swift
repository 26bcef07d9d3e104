import Foundation
import MeshConfig
import MeshSyntax
import Testing

@Suite("The shop example")
struct ShopExampleTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/shop/diddy-mesh.jsonc")

    @Test("examples/shop/diddy-mesh.jsonc has no diagnostics and a complete model")
    func shop() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.path.path), "missing \(Self.path.path)")
        let document = MeshDocument.analyze(SourceText(bytes: [UInt8](data)), path: Self.path.path)
        #expect(document.diagnostics.isEmpty, "\(document.diagnostics.map { "\($0.code.rawValue): \($0.message)" })")
        // Enough of the model to know the file was really read.
        let config = document.config
        #expect(config.version?.value == 1)
        #expect(
            Set(config.serviceNames)
                == [
                    "storefront", "user-service", "catalog", "catalog-next", "order-service", "payment-service",
                    "search",
                    "inventory",
                ])
        #expect(
            config.routing.rules.map { $0.name?.value }
                == ["users", "orders", "payments", "catalog canary", "search", "stock", "eu preview"])
        let defined = Set(config.serviceNames)
        #expect(config.serviceReferences.allSatisfy { defined.contains($0.name.value) })
    }
}
