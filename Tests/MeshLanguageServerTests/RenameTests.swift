import Foundation
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// Renames the service at `$0` to `newName` and compares the resulting text (or the
/// error code when `expected` is an integer).
private func check(
    _ marked: String, to newName: String, _ expected: String, encoding: PositionEncoding = .utf16,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    let fixture = Fixture(marked, encoding: encoding)
    let edit = await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", .string(newName))]))
    #expect(fixture.applying(edit) == expected, sourceLocation: sourceLocation)
}

private func checkRefused(
    _ marked: String, to newName: String, code: Int64, sourceLocation: SourceLocation = #_sourceLocation
) async {
    let fixture = Fixture(marked)
    let result = await fixture.call(RenameHandler.self, fixture.params(at: 0, [("newName", .string(newName))]))
    #expect(result == ["error": .int(code)], sourceLocation: sourceLocation)
}

@Suite("rename")
struct RenameTests {
    @Test("prepareRename answers the name inside its quotes, or null off a service")
    func prepare() async {
        let fixture = Fixture("{\"services\": {\"«user-se$0rvice»\": {}}}")
        #expect(
            await fixture.call(PrepareRenameHandler.self, fixture.params()) == [
                "range": fixture.range(0), "placeholder": "user-service",
            ])
        let off = Fixture("{\"services\": {}, \"version\": $01}")
        #expect(await off.call(PrepareRenameHandler.self, off.params()) == .null)
    }

    @Test("rename changes the definition and every reference, from a reference or the definition")
    func rename() async {
        let expected = Sample.mesh.replacingOccurrences(of: "\"orders\"", with: "\"order-service\"")
        await check(
            Sample.mesh.replacingOccurrences(of: "\"default\": \"orders\"", with: "\"default\": \"ord$0ers\""),
            to: "order-service", expected)
        await check(
            Sample.mesh.replacingOccurrences(of: "\"orders\": {", with: "\"$0orders\": {"), to: "order-service",
            expected)
        await check(
            Sample.mesh.replacingOccurrences(of: "\"service\": \"orders\"", with: "\"service\": \"orders\"$0"),
            to: "order-service", expected)
        await check(
            Sample.mesh.replacingOccurrences(of: "\"default\": \"orders\"", with: "\"default\": \"orders\"$0"),
            to: "orders", Sample.mesh)
    }

    @Test("rename after emoji and CJK works in every encoding", arguments: PositionEncoding.allCases)
    func renameAfterEmoji(encoding: PositionEncoding) async {
        let text = "{\"mesh\": {\"name\": \"😀中\"}, \"services\": {\"a\": {}}, \"routing\": {/*🚀*/\"default\": \"$0a\"}}"
        await check(
            text, to: "bee", Marked(text).text.replacingOccurrences(of: "\"a\"", with: "\"bee\""), encoding: encoding)
    }

    @Test("invalid and taken names are refused, and so is a position off any service")
    func refused() async {
        let onOrders = Sample.mesh.replacingOccurrences(
            of: "\"default\": \"orders\"", with: "\"default\": \"ord$0ers\"")
        await checkRefused(onOrders, to: "Not Valid", code: -32602)
        await checkRefused(onOrders, to: "", code: -32602)
        await checkRefused(onOrders, to: "user-service", code: -32803)
        await checkRefused("{\"services\": {}, \"version\": $01}", to: "x", code: -32803)
    }
}
