import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// The edge router's JSON: `JSONTextWriter` escapes every string so that a strict parser reads
/// it back unchanged, writes numbers as the CLI does, and `DecisionJSON` writes a trace that
/// `Router.route(_:health:explainingSkippedRules:)` made without explaining skipped rules,
/// which is otherwise the same trace.
@Suite("JSONTextWriter and DecisionJSON")
struct JSONTextWriterTests {
    /// `bytes` parsed strictly, failing the test when they are not one JSON value.
    private func parsed(_ bytes: [UInt8]) -> SyntaxTree? {
        let tree = JSONParser.parse(SourceText(bytes: bytes), options: ParseOptions(dialect: .strict))
        #expect(!tree.hasErrors, "\(String(decoding: bytes, as: UTF8.self))")
        return tree.hasErrors ? nil : tree
    }

    @Test("every string reads back unchanged: control characters, quotes, backslashes, any scalar")
    func stringsRoundTrip() throws {
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "plain", "\"quoted\" \\ back/slash", "é ü 日本 🙂", "\u{7F}\u{2028}\u{FEFF}", "a\0b"]
        for text in texts {
            var json = JSONTextWriter()
            json.string(text)
            let tree = try #require(parsed(json.bytes))
            let root = try #require(tree.rootValue)
            #expect(tree.string(root) == text, "\(Array(text.unicodeScalars.map(\.value)))")
        }
        var json = JSONTextWriter()
        json.string("\u{1}\n\t\"\\")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""\u0001\n\t\"\\""#)
    }

    @Test("text kept from an earlier answer is one value among the others, commas included")
    func rawValues() {
        var json = JSONTextWriter()
        json.beginArray()
        json.rawValue(Array(#"{"a":[1,2]}"#.utf8))
        json.rawValue(Array(#"{"timeout":5}"#.utf8))
        json.beginObject()
        json.key("k")
        json.rawValue(Array("true".utf8))
        json.key("p")
        json.rawValue(Array("7".utf8))
        json.endObject()
        json.endArray()
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"[{"a":[1,2]},{"timeout":5},{"k":true,"p":7}]"#)
        #expect(parsed(json.bytes) != nil)
    }

    @Test("numbers as `route --format json` writes them; commas only between items")
    func numbersAndStructure() {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("whole")
        json.number(90.0)
        json.key("fraction")
        json.number(0.1)
        json.key("large")
        json.number(1e20)
        json.key("negativeZero")
        json.number(-0.0)
        json.key("notFinite")
        json.beginArray()
        json.number(.nan)
        json.number(.infinity)
        json.number(nil as Double?)
        json.endArray()
        json.key("empty")
        json.beginObject()
        json.endObject()
        json.key("flags")
        json.beginArray()
        json.bool(true)
        json.string(nil as String?)
        json.integer(-3)
        json.endArray()
        json.endObject()
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"whole":90,"fraction":0.1,"large":1e+20,"negativeZero":0,"notFinite":[null,null,null],"#
                + #""empty":{},"flags":[true,null,-3]}"#)
    }

    @Test("without explaining skipped rules, the trace is the same less its skipped list")
    func leanTraceIsTheSame() throws {
        let source = SourceText(
            """
            {"services": {
               "a": {"endpoints": ["https://a-1.example", "https://a-2.example"]},
               "b": {"endpoints": ["https://b.example"], "fallback": {"status": 503, "body": "x\\n\\"y\\""}}},
             "routing": {"rules": [
               {"path": "/a/*", "service": "a", "stripPrefix": "/a"},
               {"path": "/b/:id", "methods": ["GET"], "service": "b"},
               {"path": "/s/*", "split": [{"service": "a", "weight": 1}, {"service": "b", "weight": 3}]}],
               "default": "a"}}
            """)
        let config = MeshDocument.analyze(source).config
        let explained = Router(config: config)
        let lean = Router(config: config)
        for url in ["https://x.example/a/1", "https://x.example/b/7", "https://x.example/s/q", "https://x.example/z"] {
            for _ in 0..<3 {
                let request = try RouteRequest.make(url: url).get()
                var full = explained.route(request)
                let trace = lean.route(request, explainingSkippedRules: false)
                #expect(trace.skipped.isEmpty)
                full.skipped = []
                #expect(trace == full, "\(url)")
                let tree = try #require(parsed(DecisionJSON.encode(trace)))
                let root = try #require(tree.rootValue)
                let keys = tree.members(of: root).map(\.name)
                #expect(Array(keys.prefix(3)) == ["request", "outcome", "rule"])
                #expect(!keys.contains("skipped"))
            }
        }
        #expect(DecisionJSON.error("no \"config\"") == Array(#"{"error":"no \"config\""}"#.utf8))
    }
}
