import Foundation
import MeshRegistry
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshCommands

/// `EdgeHealthFields`, the writer `route --engine wasm --live` hands the module its health
/// with, writes the same bytes as the Worker's (edge/worker/health-fields.mjs) for every case of
/// edge/tests/fixtures/health-fields.json; edge/tests/health-fields.test.mjs holds the Worker's
/// writer and the module's reading to the same file.
@Suite("EdgeHealthFields")
struct EdgeHealthFieldsTests {
    static let fixture = TestPaths.packageRoot.appendingPathComponent("edge/tests/fixtures/health-fields.json")

    @Test("each fixture's input is written as its fields, byte for byte")
    func fixtures() throws {
        let file = try WireJSON.parse(Array(Data(contentsOf: Self.fixture))).get()
        let cases = try #require(file["cases"]?.arrayValue)
        #expect(cases.count >= 4)
        for entry in cases {
            let name = entry["name"]?.stringValue ?? "?"
            let input = try #require(entry["input"]?.objectValue, "\(name): no input")
            let fields = try #require(entry["fields"]?.stringValue, "\(name): no fields")
            #expect(
                String(decoding: EdgeHealthFields.write(input), as: UTF8.self) == fields, "\(name)")
        }
    }

    @Test("the envelope of a listing is written as the Worker writes its own")
    func envelope() throws {
        let listing = HealthListing(
            keys: [
                KVKey(
                    name: "health:api:a", expiration: 1_764_374_460,
                    metadata: #"{"s":"healthy","t":1764374399000,"l":12,"c":"closed"}"#)
            ],
            registrations: [
                "search": Array(#"{"name":"search","registeredAt":1,"endpoints":["https://s.example"]}"#.utf8)
            ])
        let written = EdgeHealthFields.write(EdgeHealthInput.envelope(listing, now: 1_764_374_400.0004))
        #expect(
            String(decoding: written, as: UTF8.self)
                == "\0n1764374400000\0n30\0a1\0shealth:api:a\0o\0shealthy\0n1764374399000\0n12\0sclosed"
                + "\0a1\0ssearch\0o\0ssearch\0n1\0-\0a1\0shttps://s.example")
    }
}
