import Foundation
import MeshRegistry
import Testing

/// `wrangler.toml` through TOMLKit, guarded by the syntax check that keeps toml++'s
/// assertions (process aborts on malformed input) from being reached.
@Suite("Wrangler TOML: syntax errors never reach toml++'s assertions")
struct WranglerTOMLTests {
    typealias S = RegistrySupport

    /// Documents on which toml++ 3.4 (TOMLKit 0.6) aborts in debug builds: the toml-test
    /// invalid files that do, and mutations of valid files found by fuzzing, one per line
    /// as hex so that every byte is exact.
    static func crashers() throws -> [[UInt8]] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let text = try String(contentsOf: url.appendingPathComponent("toml/toml-crashers.hex"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            var bytes: [UInt8] = []
            var digits = line.utf8.makeIterator()
            while let high = digits.next(), let low = digits.next() {
                bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
            }
            return bytes
        }
    }

    @Test("every known toml++ crasher is a clear error with file, line and column")
    func crashers() throws {
        let documents = try Self.crashers()
        #expect(documents.count >= 150)
        for document in documents {
            let error = S.failure(WranglerConfig.parse(document, path: "/p/wrangler.toml"))
            guard case .notConfigured(let message) = error else {
                Issue.record(
                    "expected .notConfigured for \(String(decoding: document, as: UTF8.self).debugDescription)")
                continue
            }
            #expect(message.wholeMatch(of: /\/p\/wrangler\.toml:\d+(:\d+)?: invalid TOML: .+/) != nil, "\(message)")
        }
    }

    @Test(
        "the classic crashers, with the position of the problem",
        arguments: [
            ("[[[", "1:3"), ("[.a]\nk = 1", "1:2"), ("[\n", "1:2"), ("a = 1\n[ !]", "2:3"), ("x = [}", "1:6"),
            ("[a]]\n", "1:4"),
            ("k = { a = 1, }", "1:14"), ("s = \"abc", "1:9"), ("m = \"\"\"abc", "1:11"),
            ("d = 1979-05-27T7:32:00", "1:5"),
        ])
    func classic(text: String, position: String) {
        let message =
            S.failure(WranglerConfig.parse(Array(text.utf8), path: "wrangler.toml")).map(String.init(describing:)) ?? ""
        #expect(message.contains("wrangler.toml:\(position): invalid TOML"), "\(message)")
    }

    @Test("valid TOML 1.0 with every tricky construct passes the check and is read")
    func tricky() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent("toml/valid-tricky.toml")))
        let config = try WranglerConfig.parse(bytes, path: "/p/wrangler.toml").get()
        #expect(config.kvNamespaces == [.init(binding: "MESH_KV", id: "tricky-id")])
    }

    @Test(
        "semantic errors toml++ reports itself come back with their line",
        arguments: [
            ("a = 1\na = 2", "2:"), ("[t]\n[t]", "2:"), ("d = 1979-13-45", "1:"),
        ])
    func semantic(text: String, line: String) {
        let message =
            S.failure(WranglerConfig.parse(Array(text.utf8), path: "wrangler.toml")).map(String.init(describing:)) ?? ""
        #expect(message.contains("wrangler.toml:\(line)"), "\(message)")
        #expect(message.contains("invalid TOML"))
    }
}
