import Foundation
@testable import MeshLanguageServer
import Testing
import WireJSON

@Suite("rename")
struct RenameTests {
    @Test("prepareRename answers the name inside its quotes")
    func prepare() async {
        let fixture = Fixture("{\"services\": {\"«user-se$0rvice»\": {}}}")
        #expect(await fixture.call(PrepareRenameHandler.self, fixture.params()) == ["range": fixture.range(0), "placeholder": "user-service"])
        let off = Fixture("{\"services\": {}, \"version\": $01}")
        #expect(await off.call(PrepareRenameHandler.self, off.params()) == .null)
    }

    @Test("rename changes the definition and every reference")
    func rename() async {
        let fixture = Fixture(Sample.mesh.replacingOccurrences(of: "\"default\": \"orders\"", with: "\"default\": \"ord$0ers\""))
        let edit = await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", "order-service")]))
        let expected = Sample.mesh
            .replacingOccurrences(of: "\"orders\"", with: "\"order-service\"")
        #expect(fixture.applying(edit) == expected)
        #expect(edit["changes"]?[fixture.uri]?.arrayValue?.count == 3)
    }

    @Test("rename with emoji before the name works in every encoding", arguments: ["utf-8", "utf-16", "utf-32"])
    func renameAfterEmoji(encoding: String) async throws {
        let text = "{\"mesh\": {\"name\": \"😀中\"}, \"services\": {\"a\": {}}, \"routing\": {\"default\": \"$0a\"}}"
        let fixture = Fixture(text, encoding: try #require(.init(rawValue: encoding)))
        let edit = await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", "bee")]))
        #expect(fixture.applying(edit) == Marked(text).text.replacingOccurrences(of: "\"a\"", with: "\"bee\""))
    }

    @Test("invalid and taken names are refused")
    func refused() async {
        let fixture = Fixture(Sample.mesh.replacingOccurrences(of: "\"default\": \"orders\"", with: "\"default\": \"ord$0ers\""))
        #expect(await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", "Not Valid")])) == ["error": -32602])
        #expect(await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", "user-service")])) == ["error": -32803])
        let same = await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", "orders")]))
        #expect(same["changes"]?[fixture.uri] == [])
    }
}
