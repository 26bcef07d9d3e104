import Foundation
import MeshConfig
import MeshRouter
import MeshSyntax
import MeshTestSupport
import Testing

@Suite("Router checks (DM401-DM407)")
struct RouterChecksTests {
    typealias S = ShadowSupport

    /// Expects exactly `expected` (code and a message fragment) from the router checks of
    /// `marked`, the i-th (in document order) at the i-th marked range.
    @discardableResult
    private func expect(
        _ marked: String, _ expected: [(DiagnosticCode, String)], sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Diagnostic] {
        let fixture = Marked(marked)
        let found = S.routerDiagnostics(fixture.text).sortedForOutput()
        #expect(
            found.count == expected.count, "\(found.map { "\($0.code.rawValue) \($0.range) \($0.message)" })",
            sourceLocation: sourceLocation)
        #expect(
            fixture.ranges.count == expected.count, "the fixture marks \(fixture.ranges.count) ranges",
            sourceLocation: sourceLocation)
        for (index, diagnostic) in found.enumerated() where index < expected.count && index < fixture.ranges.count {
            #expect(diagnostic.code == expected[index].0, sourceLocation: sourceLocation)
            #expect(diagnostic.severity == expected[index].0.defaultSeverity, sourceLocation: sourceLocation)
            #expect(
                diagnostic.range == fixture.ranges[index],
                Comment(
                    rawValue: "\(diagnostic.code.rawValue) at '\(fixture.text.bytes(in: diagnostic.range))', marked "
                        + "'\(fixture.text.bytes(in: fixture.ranges[index]))'"),
                sourceLocation: sourceLocation)
            #expect(
                diagnostic.message.contains(expected[index].1), "message: \(diagnostic.message)",
                sourceLocation: sourceLocation)
        }
        return found
    }

    /// A config with one service `s` (extra members `service`), `mesh.defaults` members, and rules.
    private func config(_ rules: [String], service: String = "", defaults: String = "", more: String = "") -> String {
        let mesh = defaults.isEmpty ? "" : "\"mesh\": {\"defaults\": {\(defaults)}},\n"
        return
            "{\(mesh)\"services\": {\"s\": {\"endpoints\": "
            + "[\"https://s.example.com\"]\(service.isEmpty ? "" : ", " + service)}\(more)},\n\"routing\": "
            + "{\"rules\": [\n"
            + rules.joined(separator: ",\n") + "\n]}}"
    }

    // MARK: DM401

    static let invalidPatterns: [(String, String)] = [
        ("\"/a/b«*»c\"", "'*' may appear only as a whole segment or as the last character"),
        ("\"/a/*/x«*»y\"", "'*' may appear only"),
        ("\"/a/«*»*\"", "'*' may appear only"),
        ("\"/a/x«:»b\"", "':' may appear only at the start of a segment"),
        ("\"/a/«:1x»\"", "invalid parameter name '1x'"),
        ("\"/a/«:»/b\"", "':' must be followed by a parameter name"),
        ("\"/a/:id/«:id»\"", "parameter ':id' appears twice"),
        ("\"/a«?»q=1\"", "'?' cannot appear in a path pattern"),
        ("\"/é/«*»x\"", "'*' may appear only"),
        // With an escape, offsets in the value are not offsets in the file.
        ("«\"/a\\u002fb*c\"»", "'*' may appear only"),
        ("«\"/a\\\\b*c\"»", "'*' may appear only"),
    ]

    @Test("DM401 points at the offending character", arguments: invalidPatterns.indices)
    func invalidPattern(_ index: Int) {
        let (path, message) = Self.invalidPatterns[index]
        expect(config(["{\"path\": \(path), \"service\": \"s\"}"]), [(.invalidPathPattern, message)])
    }

    @Test("DM401 leaves paths without a leading '/' to the schema (DM203)")
    func pathWithoutSlash() {
        let text = config(["{\"path\": \"api/*x\", \"service\": \"s\"}", "{\"path\": \"\", \"service\": \"s\"}"])
        #expect(S.routerDiagnostics(text).isEmpty)
        let codes = MeshDocument.analyze(SourceText(text)).diagnostics.map(\.code)
        #expect(codes == [.valueOutOfRange, .valueOutOfRange])
    }

    // MARK: DM405

    static let stripPrefixes: [(pattern: String, prefix: String, problem: String?)] = [
        ("/api/users/*", "/", nil),
        ("/api/users/*", "/api", nil),
        ("/api/users/*", "/api/", nil),
        ("/api/users/*", "/api/users", nil),
        ("/api/users/*", "/api/users/", nil),
        ("/api/users/*", "/ap", "ends inside a path segment"),
        ("/api/users/*", "/api/u", "ends inside a path segment"),
        ("/api/users/*", "/v2", "is not a prefix of every path"),
        ("/api/users/*", "/api/users/x", "is not a prefix of every path"),
        ("/api/user*", "/api/", nil),
        ("/api/user*", "/api/user", "ends inside a path segment"),
        ("/api/user*", "/api/users", "is not a prefix of every path"),
        ("/health", "/health", nil),
        ("/health", "/health/", "is not a prefix of every path"),
        ("/:tenant/x", "/", nil),
        ("/:tenant/x", "/t", "is not a prefix of every path"),
        ("/v1/:id/x", "/v1/", nil),
        ("/v1/:id/x", "/v1/:id", "is not a prefix of every path"),
    ]

    @Test(
        "DM405: a prefix of the pattern's leading literal, ending at a segment boundary",
        arguments: stripPrefixes.indices)
    func stripPrefix(_ index: Int) {
        let entry = Self.stripPrefixes[index]
        let rule = "{\"path\": \"\(entry.pattern)\", \"service\": \"s\", \"stripPrefix\": «\"\(entry.prefix)\"»}"
        if let problem = entry.problem {
            expect(config([rule]), [(.invalidStripPrefix, problem)])
        } else {
            #expect(S.routerDiagnostics(Marked(config([rule])).text).isEmpty)
        }
    }

    @Test("DM405 is silent when the schema or DM401 already speaks")
    func stripPrefixLeftToOthers() {
        #expect(
            S.routerDiagnostics(config(["{\"path\": \"/api/*\", \"service\": \"s\", \"stripPrefix\": \"api\"}"]))
                .isEmpty)
        let found = S.routerDiagnostics(config(["{\"path\": \"/a*b\", \"service\": \"s\", \"stripPrefix\": \"/x\"}"]))
        #expect(found.map(\.code) == [.invalidPathPattern])
    }

    // MARK: DM406

    @Test("DM406: both at the 'service' key, neither at the opening brace")
    func serviceAndSplit() {
        expect(
            config([
                "{\"path\": \"/a\", «\"service\"»: \"s\", \"split\": [{\"service\": \"s\", \"weight\": 1}]}",
                "«{»\"path\": \"/b\"}",
                "{\"path\": \"/c\", \"split\": [{\"service\": \"s\", \"weight\": 1}]}",
                "{\"path\": \"/d\", \"service\": \"s\"}",
                // A service of the wrong type is still a service key (the schema reports its type).
                "{\"path\": \"/e\", «\"service\"»: 3, \"split\": [{\"service\": \"s\", \"weight\": 1}]}",
            ]),
            [
                (.serviceAndSplit, "rule #0 /a has both 'service' and 'split'"),
                (.serviceAndSplit, "rule #1 /b has neither 'service' nor 'split'"),
                (.serviceAndSplit, "has both"),
            ])
    }

    @Test("DM406 does not guess about a rule cut short by a syntax error")
    func serviceAndSplitWithSyntaxErrors() {
        let text = "{\"services\": {\"s\": {}}, \"routing\": {\"rules\": [{\"path\": \"/a\" \"service\" }]}}"
        #expect(!S.routerDiagnostics(text).contains { $0.code == .serviceAndSplit })
    }

    // MARK: DM407

    @Test("DM407 on the rule's own retries")
    func retriesOnTheRule() {
        expect(
            config(["{\"path\": \"/pay\", \"methods\": [\"POST\"], \"service\": \"s\", \"retries\": «3»}"]),
            [
                (
                    .retriesOnNonIdempotent,
                    "rule #0 /pay only matches POST, which is not idempotent, yet retries 3 times (set on the rule)"
                )
            ])
        expect(
            config([
                "{\"path\": \"/pay\", \"methods\": [\"POST\"], \"service\": \"s\", \"retries\": {\"attempts\": «1»}}"
            ]),
            [(.retriesOnNonIdempotent, "retries 1 time (set on the rule)")])
    }

    @Test("DM407 on retries inherited from the service or mesh.defaults, with where they are set")
    func inheritedRetries() throws {
        let fromService = expect(
            config(
                ["{\"path\": \"/pay\", \"methods\": [«\"POST\", \"PATCH\"»], \"service\": \"s\"}"],
                service: "\"retries\": {\"attempts\": 2}"),
            [
                (
                    .retriesOnNonIdempotent,
                    "only matches POST, PATCH, which are not idempotent, yet retries 2 times (inherited from "
                        + "service 's')"
                )
            ])
        let related = try #require(fromService.first?.related.first)
        #expect(related.message == "retries set on service 's'")
        let fromDefaults = expect(
            config(
                ["{\"path\": \"/pay\", \"methods\": [«\"PATCH\"»], \"service\": \"s\"}"], defaults: "\"retries\": 2"),
            [(.retriesOnNonIdempotent, "(inherited from mesh.defaults)")])
        #expect(fromDefaults.first?.related.first?.message == "retries set on mesh.defaults")
    }

    @Test("DM407 follows the policy levels: the most specific setting wins")
    func retriesOverridden() {
        let quiet = [
            // The service says 0, overriding the defaults (as examples/shop's payment-service does).
            config(
                ["{\"path\": \"/pay\", \"methods\": [\"POST\"], \"service\": \"s\"}"], service: "\"retries\": 0",
                defaults: "\"retries\": 2"),
            config(
                ["{\"path\": \"/pay\", \"methods\": [\"POST\"], \"service\": \"s\", \"retries\": 0}"],
                service: "\"retries\": 3"),
            // An idempotent method among the listed ones, or no methods at all: retries are fine.
            config(["{\"path\": \"/pay\", \"methods\": [\"POST\", \"GET\"], \"service\": \"s\", \"retries\": 2}"]),
            config(["{\"path\": \"/pay\", \"service\": \"s\", \"retries\": 2}"]),
            config(["{\"path\": \"/pay\", \"methods\": [\"PUT\"], \"service\": \"s\", \"retries\": 2}"]),
        ]
        for text in quiet { #expect(S.routerDiagnostics(text).isEmpty, "\(text)") }
    }

    @Test("DM407 for a split names the branch service that retries")
    func retriesThroughSplit() {
        expect(
            config(
                [
                    "{\"path\": \"/pay\", \"methods\": [«\"POST\"»], \"split\": [{\"service\": \"s\", \"weight\": "
                        + "1}, {\"service\": \"t\", \"weight\": 1}]}"
                ],
                more: ", \"t\": {\"endpoints\": [\"https://t.example.com\"], \"retries\": 1}"),
            [(.retriesOnNonIdempotent, "(inherited from service 't')")])
    }

    // MARK: DM402, DM403

    @Test("DM402 names the earlier rule and a witness path, relates to it, and offers to remove the rule")
    func shadowed() throws {
        let text = config([
            "{\"name\": \"api\", \"path\": \"/api/*\", \"service\": \"s\"}",
            "{\"name\": \"users\", \"path\": «\"/api/users/:id\"», \"methods\": [\"GET\"], \"service\": \"s\"}",
            "{\"path\": «\"/api/*\"», \"service\": \"s\"}",
        ])
        let found = expect(
            text,
            [
                (
                    .shadowedRule,
                    "rule 'users' is shadowed by the earlier rule 'api', which matches every request it matches: GET "
                        + "/api/users/x goes to 'api'"
                ),
                (.duplicateRule, "rule #2 /api/* duplicates the earlier rule 'api'"),
            ])
        let plain = Marked(text).text
        for diagnostic in found {
            let related = try #require(diagnostic.related.first)
            #expect(plain.bytes(in: related.range) == "\"/api/*\"")
            let fix = try #require(diagnostic.fixes.first)
            #expect(
                fix.title
                    == (diagnostic.code == .shadowedRule ? "Remove the shadowed rule" : "Remove the duplicate rule"))
            let fixed = plain.applying(fix.edits)
            let document = MeshDocument.analyze(SourceText(fixed), path: "diddy-mesh.jsonc")
            #expect(!document.tree.hasErrors, "\(fixed)")
            #expect(document.config.routing.rules.count == 2)
            #expect(
                !RouterChecks.diagnostics(for: document.config, tree: document.tree).contains {
                    $0.range.start == diagnostic.range.start && $0.code == diagnostic.code
                })
        }
    }

    @Test("no shadowing findings while the file has syntax errors: a damaged rule may look broader than it is")
    func shadowingWaitsForACleanParse() {
        // The first rule's methods are unreadable, so the model sees it without any.
        let text =
            "{\"services\": {\"s\": {}}, \"routing\": {\"rules\": [{\"path\": \"/a/*\", \"methods\": [\"GET\" "
            + "\"PUT\"], \"service\": \"s\"}, {\"path\": \"/a/b\", \"service\": \"s\"}]}}"
        #expect(S.routerDiagnostics(text).isEmpty)
        let fixed = text.replacingOccurrences(of: "\"GET\" \"PUT\"", with: "\"GET\", \"PUT\"")
        #expect(S.routerDiagnostics(fixed).isEmpty)
        let broader = text.replacingOccurrences(of: ", \"methods\": [\"GET\" \"PUT\"]", with: "")
        #expect(S.routerDiagnostics(broader).map(\.code) == [.shadowedRule])
    }

    @Test("the host shows in the example when the shadowed rule constrains it")
    func shadowedWithHost() {
        expect(
            config([
                "{\"path\": \"/*\", \"host\": \"*.example.com\", \"service\": \"s\"}",
                "{\"path\": «\"/a\"», \"host\": \"*.eu.example.com\", \"service\": \"s\"}",
            ]),
            [(.shadowedRule, "GET https://www.eu.example.com/a goes to #0 /*")])
    }

    @Test("removing a rule leaves valid JSON in every layout")
    func ruleRemovalLayouts() throws {
        let layouts = [
            "{\"services\": {\"s\": {}}, \"routing\": {\"rules\": [{\"path\": \"/*\", \"service\": \"s\"}, "
                + "{\"path\": \"/a\", \"service\": \"s\"}, {\"path\": \"/b/*\", \"service\": \"s\"}]}}",
            "{\"services\": {\"s\": {}}, \"routing\": {\"rules\": [{\"path\": \"/b/*\", \"service\": \"s\"}, "
                + "{\"path\": \"/*\", \"service\": \"s\"}, {\"path\": \"/a\", \"service\": \"s\"}]}}",
            "{\"services\": {\"s\": {}},\n \"routing\": {\"rules\": [\n    {\"path\": \"/*\", \"service\": \"s\"},\n "
                + "   {\"path\": \"/a\", \"service\": \"s\"}, // shadowed\n    {\"path\": \"/b/*\", \"service\": "
                + "\"s\"}\n  ]}}",
            "{\"services\": {\"s\": {}},\n \"routing\": {\"rules\": [\n    {\"path\": \"/*\", \"service\": \"s\"},\n "
                + "   {\n      \"path\": \"/a\",\n      \"service\": \"s\"\n    },\r\n    {\"path\": \"/b/*\", "
                + "\"service\": \"s\"}\n  ]}}",
            "{\"services\": {\"s\": {}},\n \"routing\": {\"rules\": [\n    {\"path\": \"/*\", \"service\": \"s\"},\n "
                + "   {\"path\": \"/a\", \"service\": \"s\"}\n  ]}}",
        ]
        for layout in layouts {
            let shadow = S.routerDiagnostics(layout).filter { $0.code == .shadowedRule }
            let fix = try #require(shadow.first?.fixes.first, "\(layout)")
            let fixed = layout.applying(fix.edits)
            let document = MeshDocument.analyze(SourceText(fixed), path: "diddy-mesh.json")
            #expect(
                document.diagnostics.allSatisfy { $0.code != .syntaxError && $0.code != .trailingComma }, "\(fixed)")
            let before = MeshDocument.analyze(SourceText(layout)).config.routing.rules.count
            #expect(document.config.routing.rules.count == before - 1, "\(fixed)")
        }
        // One rule per line: the whole line goes, comment and all.
        let perLine = layouts[2]
        let fixed = perLine.applying(try #require(S.routerDiagnostics(perLine).first?.fixes.first).edits)
        #expect(
            fixed
                == "{\"services\": {\"s\": {}},\n \"routing\": {\"rules\": [\n    {\"path\": \"/*\", \"service\": "
                + "\"s\"},\n    // shadowed\n    {\"path\": \"/b/*\", \"service\": \"s\"}\n  ]}}"
        )
        // Multi-line rules on their own lines: the lines go.
        let multiLine = layouts[3]
        let fixedMultiLine = multiLine.applying(try #require(S.routerDiagnostics(multiLine).first?.fixes.first).edits)
        #expect(
            fixedMultiLine
                == "{\"services\": {\"s\": {}},\n \"routing\": {\"rules\": [\n    {\"path\": \"/*\", \"service\": "
                + "\"s\"},\n    {\"path\": \"/b/*\", \"service\": \"s\"}\n  ]}}"
        )
    }

    @Test("DM404 is left to the config checks")
    func noDuplicateSplitFindings() {
        let text = config([
            "{\"path\": \"/a\", \"split\": [{\"service\": \"s\", \"weight\": 0}, {\"service\": \"s\", \"weight\": 1}]}",
            "{\"path\": \"/b\", \"split\": []}",
        ])
        #expect(!S.routerDiagnostics(text).contains { $0.code == .invalidSplit })
        #expect(MeshDocument.analyze(SourceText(text)).diagnostics.filter { $0.code == .invalidSplit }.count == 3)
    }

    @Test("without a tree: the same findings, no quick fixes")
    func withoutTree() {
        let text = config([
            "{\"path\": \"/*\", \"service\": \"s\"}", "{\"path\": \"/a/b*c\", \"service\": \"s\"}",
            "{\"path\": \"/a\", \"service\": \"s\"}",
        ])
        let document = MeshDocument.analyze(SourceText(text))
        let withTree = RouterChecks.diagnostics(for: document.config, tree: document.tree)
        let without = RouterChecks.diagnostics(for: document.config)
        #expect(withTree.map(\.code) == without.map(\.code))
        #expect(withTree.map(\.range) == without.map(\.range))
        #expect(without.allSatisfy { $0.fixes.isEmpty })
        #expect(withTree.contains { !$0.fixes.isEmpty })
    }
}
