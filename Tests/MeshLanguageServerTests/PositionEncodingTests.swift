import Foundation
import MeshSyntax
import Testing
import WireJSON

@testable import MeshLanguageServer

private let uri = "file:///enc/mesh.jsonc"

/// The position of the first occurrence of `needle` in `text`, with the column counted in
/// `encoding` by Swift's own string views (an independent check of the line index).
private func position(of needle: String, in text: String, _ encoding: PositionEncoding) -> JSONValue {
    guard let found = text.range(of: needle) else { return .null }
    let before = text[..<found.lowerBound]
    let line = before.filter { $0 == "\n" }.count
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    let prefix = text[lineStart..<found.lowerBound]
    let column =
        switch encoding {
        case .utf8: prefix.utf8.count
        case .utf16: prefix.utf16.count
        case .utf32: prefix.unicodeScalars.count
        }
    return ["line": .int(Int64(line)), "character": .int(Int64(column))]
}

@Suite("position encodings")
struct PositionEncodingTests {
    @Test("the first encoding the client offers that the server knows is chosen; UTF-16 otherwise")
    func negotiation() throws {
        let cases: [([String]?, String)] = [
            (nil, "utf-16"), (["utf-8"], "utf-8"), (["utf-32", "utf-16"], "utf-32"),
            (["bogus", "utf-8"], "utf-8"), (["bogus"], "utf-16"), ([], "utf-16"),
        ]
        for (offered, expected) in cases {
            var capabilities: JSONObject = [:]
            if let offered { capabilities["general"] = ["positionEncodings": .array(offered.map { .string($0) })] }
            let negotiated = try InitializeHandler.negotiate(["capabilities": .object(capabilities)])
            #expect(negotiated.encoding.rawValue == expected, "\(String(describing: offered))")
        }
    }

    @Test(
        "incremental edits around emoji and CJK land on the same text in every encoding",
        arguments: PositionEncoding.allCases)
    func incrementalEdits(encoding: PositionEncoding) async {
        let original =
            "{\n  \"mesh\": {\"name\": \"😀 中文 🎉\"},\n  \"services\": {\"a\": {}},\n  \"routing\": {\"default\": "
            + "\"a\"}\n}"
        // 1. Replace 中 (after an emoji) with two emoji; 2. in the same notification, change
        // the default from "a" to "b"; 3. then insert a CJK comment before "services".
        let step1 = original.replacingOnce("中", with: "🙂🙂 ")
        let step2 = step1.replacingOnce("a\"}\n}", with: "b\"}\n}")
        let final = step2.replacingOnce("\"services\"", with: "/* 服务 */ \"services\"")
        var session = Session()
        session.initialize(encodings: [encoding.rawValue])
        session.open(uri, original)
        let defaultValue = position(of: "a\"}\n}", in: step1, encoding)
        session.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(uri), "version": 2],
                "contentChanges": [
                    [
                        "range": [
                            "start": position(of: "中", in: original, encoding),
                            "end": position(of: "文", in: original, encoding),
                        ], "text": "🙂🙂 ",
                    ],
                    ["range": ["start": defaultValue, "end": shifted(defaultValue, by: 1)], "text": "b"],
                ],
            ])
        let servicesKey = position(of: "\"services\"", in: step2, encoding)
        session.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(uri), "version": 3],
                "contentChanges": [["range": ["start": servicesKey, "end": servicesKey], "text": "/* 服务 */ "]],
            ])
        session.request(1, "textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])
        let (_, sent) = await session.run()
        #expect(sent.response(0)?["result"]?["capabilities"]?["positionEncoding"] == .string(encoding.rawValue))
        let items = sent.response(1)?["result"]?["items"]?.arrayValue ?? []
        // The final text references the undefined service "b" (DM301) and leaves "a" unused (DM302).
        let undefined = items.first { $0["code"] == "DM301" }
        #expect(undefined?["range"]?["start"] == position(of: "\"b\"", in: final, encoding))
        #expect(undefined?["range"]?["end"] == shifted(position(of: "\"b\"", in: final, encoding), by: 3))
        let unused = items.first { $0["code"] == "DM302" }
        #expect(unused?["range"]?["start"] == position(of: "\"a\"", in: final, encoding))
        #expect(unused?["tags"] == [1])
    }

    @Test(
        "positions inside a character or past the line end clamp instead of failing",
        arguments: PositionEncoding.allCases)
    func clamping(encoding: PositionEncoding) {
        let source = SourceText("{\"😀\": 1}\n")
        let converter = PositionConverter(lineIndex: source.lineIndex, encoding: encoding)
        #expect(converter.offset(of: LinePosition(line: 0, character: 1000)) == 11)
        #expect(converter.offset(of: LinePosition(line: 99, character: 0)) == source.count)
        // Column 3 is inside the emoji in UTF-8 and UTF-16: it resolves to the emoji's start.
        let inside = converter.offset(of: LinePosition(line: 0, character: 3))
        #expect(inside == (encoding == .utf32 ? 6 : 2))
    }
}

private func shifted(_ position: JSONValue, by units: Int64) -> JSONValue {
    ["line": position["line"] ?? 0, "character": .int((position["character"]?.intValue ?? 0) + units)]
}

extension String {
    fileprivate func replacingOnce(_ target: String, with replacement: String) -> String {
        guard let found = range(of: target) else { return self }
        return replacingCharacters(in: found, with: replacement)
    }
}
