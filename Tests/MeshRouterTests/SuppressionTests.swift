import Foundation
import MeshConfig
import MeshRouter
import MeshSyntax
import MeshTestSupport
import Testing

/// `diddy-mesh-ignore` comments and the `lint` section (docs/guide/suppressions.md),
/// through the whole static analysis the CLI and the editor share.
///
/// In a fixture, `«…»` marks each finding that stays shown and `⟨…⟩` each one a comment
/// suppresses, both in document order.
@Suite("Suppressions: comments and the lint section")
struct SuppressionTests {
    /// Analyses `marked` and expects exactly the marked findings: `shown` at the `«»`
    /// ranges and `suppressed` at the `⟨⟩` ranges, in document order.
    @discardableResult
    private func check(
        _ marked: String, shown: [DiagnosticCode], suppressed: [DiagnosticCode] = [], path: String = "mesh.jsonc",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ConfigAnalysis {
        let fixture = Marked(marked)
        let analysis = ConfigAnalysis(fixture.source, path: path)
        let found = analysis.diagnostics.map { "\($0.code.rawValue) '\(fixture.text(in: $0.range))'" }
        let wanted = zip(shown, fixture.ranges).map { "\($0.rawValue) '\(fixture.text(in: $1))'" }
        #expect(found == wanted, sourceLocation: sourceLocation)
        #expect(
            shown.count == fixture.ranges.count, "the fixture marks \(fixture.ranges.count)",
            sourceLocation: sourceLocation)
        let hidden = analysis.suppressed.map {
            "\($0.diagnostic.code.rawValue) '\(fixture.text(in: $0.diagnostic.range))'"
        }
        let wantedHidden = zip(suppressed, fixture.expected).map { "\($0.rawValue) '\(fixture.text(in: $1))'" }
        #expect(hidden == wantedHidden, sourceLocation: sourceLocation)
        #expect(
            suppressed.count == fixture.expected.count, "the fixture marks \(fixture.expected.count)",
            sourceLocation: sourceLocation)
        return analysis
    }

    /// The one quick fix of the only finding of `code` in `text`, applied.
    private func fixed(_ text: String, code: DiagnosticCode, sourceLocation: SourceLocation = #_sourceLocation)
        -> String
    {
        let analysis = ConfigAnalysis(SourceText(text), path: "mesh.jsonc")
        let findings = analysis.diagnostics.filter { $0.code == code }
        #expect(findings.count == 1, "\(findings)", sourceLocation: sourceLocation)
        guard let fix = findings.first?.fixes.first else { return text }
        return text.applying(fix.edits)
    }

    // MARK: Which line a comment covers

    @Test("a comment after config covers its own line")
    func trailingComment() {
        check(
            """
            {
              "services": {
                "users": { "endpoints": [⟨"http://u.example"⟩] } // diddy-mesh-ignore DM502: no TLS inside
              },
              "routing": { "default": "users" }
            }
            """, shown: [], suppressed: [.insecureEndpoint])
    }

    @Test("a comment alone on its line covers the next line with config, past blank lines and other comments")
    func commentAbove() {
        check(
            """
            {
              "services": {
                "users": {
                  // diddy-mesh-ignore DM502: no TLS inside

                  // the endpoint below is the VPN one
                  "endpoints": [⟨"http://u.example"⟩]
                },
                "orders": { "endpoints": [«"http://o.example"»] }
              },
              "routing": { "rules": [{ "path": "/o/*", "service": "orders" }], "default": "users" }
            }
            """, shown: [.insecureEndpoint], suppressed: [.insecureEndpoint])
    }

    @Test("comments stack above one line, and a list names several codes")
    func stackedComments() {
        check(
            """
            {
              "services": {
                /* diddy-mesh-ignore DM302: kept for the v2 launch */
                // diddy-mesh-ignore DM205, DM502: legacy name and endpoint
                ⟨⟨"Legacy"⟩⟩: { "endpoints": [⟨"http://l.example"⟩] },
                "users": { "endpoints": ["https://u.example"] }
              },
              "routing": { "default": "users" }
            }
            """, shown: [], suppressed: [.invalidServiceName, .unusedService, .insecureEndpoint])
    }

    @Test("a file comment covers every line; a router finding is suppressed like the others")
    func fileComment() {
        check(
            """
            {
              "services": {
                "users": { "endpoints": [⟨"http://u.example"⟩] },
                "orders": { "endpoints": [⟨"http://o.example"⟩] }
              },
              // diddy-mesh-ignore-file DM502, DM402: the staging mesh
              "routing": { "rules": [
                { "path": "/a/*", "service": "users" },
                { "path": ⟨"/a/b"⟩, "service": "orders" }
              ] }
            }
            """, shown: [], suppressed: [.insecureEndpoint, .insecureEndpoint, .shadowedRule])
    }

    @Test("a suppression does not reach the line after the one it covers")
    func onlyItsLine() {
        check(
            """
            {
              "services": {
                "users": { "endpoints": [⟨"http://u.example"⟩] }, // diddy-mesh-ignore DM502: internal
                "orders": { "endpoints": [«"http://o.example"»] }
              },
              "routing": { "rules": [{ "path": "/o/*", "service": "orders" }], "default": "users" }
            }
            """, shown: [.insecureEndpoint], suppressed: [.insecureEndpoint])
    }

    @Test("a word that only starts like the directive is an ordinary comment")
    func notADirective() {
        check(
            """
            {
              "services": {
                "users": { "endpoints": [«"http://u.example"»] } // diddy-mesh-ignored DM502: not a directive
              },
              "routing": { "default": "users" }
            }
            """, shown: [.insecureEndpoint])
    }

    // MARK: Findings about the comments

    @Test("an unused suppression is a faded hint whose fix removes the comment's whole line")
    func unusedComment() {
        let text = """
            {
              "services": {
                «// diddy-mesh-ignore DM502: moved to https»
                "users": { "endpoints": ["https://u.example"] }
              },
              "routing": { "default": "users" }
            }
            """
        let analysis = check(text, shown: [.unusedSuppression])
        #expect(analysis.diagnostics.first?.tags == [.unnecessary])
        #expect(analysis.diagnostics.first?.message == "unused suppression: nothing on line 4 reports DM502")
        let plain = Marked(text).text
        #expect(
            fixed(plain, code: .unusedSuppression)
                == plain.replacingOccurrences(of: "    // diddy-mesh-ignore DM502: moved to https\n", with: ""))
    }

    @Test("a partly unused suppression points at the unused code and its fix keeps the rest")
    func partlyUnused() {
        let text = """
            {
              "services": {
                "users": { "endpoints": [⟨"http://u.example"⟩] } /* diddy-mesh-ignore DM502, «DM302»: inside */
              },
              "routing": { "default": "users" }
            }
            """
        check(text, shown: [.unusedSuppression], suppressed: [.insecureEndpoint])
        let plain = Marked(text).text
        #expect(
            fixed(plain, code: .unusedSuppression)
                == plain.replacingOccurrences(
                    of: "/* diddy-mesh-ignore DM502, DM302: inside */", with: "/* diddy-mesh-ignore DM502: inside */"))
    }

    @Test("a trailing unused suppression's fix removes the comment and the blanks before it, not the config")
    func unusedTrailing() {
        let text = """
            {
              "services": { "users": { "endpoints": ["https://u.example"] } }, // diddy-mesh-ignore DM502: gone
              "routing": { "default": "users" }
            }
            """
        #expect(
            fixed(text, code: .unusedSuppression)
                == text.replacingOccurrences(of: " // diddy-mesh-ignore DM502: gone", with: ""))
    }

    @Test("a suppression with nothing after it, or in a file with nothing to report, is unused")
    func unusedAtEnd() {
        let analysis = check(
            """
            {
              "services": { "users": { "endpoints": ["https://u.example"] } },
              "routing": { "default": "users" }
            }
            «// diddy-mesh-ignore DM502: trailing»
            """, shown: [.unusedSuppression])
        #expect(analysis.diagnostics.first?.message.contains("no line of config follows it") == true)
        check(
            """
            {
              «// diddy-mesh-ignore-file DM302: none left»
              "services": { "users": { "endpoints": ["https://u.example"] } },
              "routing": { "default": "users" }
            }
            """, shown: [.unusedSuppression])
    }

    @Test("no reason is a hint, and the finding stays suppressed")
    func noReason() {
        check(
            """
            {
              "services": {
                "users": { "endpoints": [⟨"http://u.example"⟩] } «// diddy-mesh-ignore DM502»
              },
              "routing": { "default": "users" }
            }
            """, shown: [.suppressionWithoutReason], suppressed: [.insecureEndpoint])
    }

    @Test("words that are not codes, codes that cannot be suppressed, and an empty list are DM703")
    func invalidEntries() {
        let analysis = check(
            """
            {
              "services": {
                "users": { "endpoints": [«"http://u.example"»] } // diddy-mesh-ignore «dm502» «because» «DM701»: x
              },
              «// diddy-mesh-ignore: nothing named»
              "routing": { "default": "users" }
            }
            """,
            shown: [
                .insecureEndpoint, .invalidSuppression, .invalidSuppression, .invalidSuppression, .invalidSuppression,
            ])
        #expect(analysis.diagnostics[1].help == ["codes are written in capitals: DM502"])
        #expect(analysis.diagnostics[2].help == ["the reason goes after a colon: 'diddy-mesh-ignore DM502: <why>'"])
    }

    @Test("a syntax error cannot be suppressed")
    func syntaxErrorsStay() {
        check(
            """
            {
              "services": { "users": { "endpoints": ["https://u.example"] } },
              // diddy-mesh-ignore «DM101»: please
              "routing": { "default": "users" }«»
            """, shown: [.invalidSuppression, .syntaxError])
    }

    // MARK: The lint section

    @Test("lint turns a code off (nothing is counted as suppressed) and re-grades another")
    func lintSection() {
        let analysis = check(
            """
            {
              "services": {
                "users": { "endpoints": [«"http://u.example"»] },
                "legacy": { "endpoints": ["https://l.example"] }
              },
              "routing": { "default": "users" },
              "lint": { "DM302": "off", "DM502": "information" }
            }
            """, shown: [.insecureEndpoint])
        #expect(analysis.diagnostics.first?.severity == .information)
        #expect(analysis.suppressed.isEmpty)
    }

    @Test("lint can turn off the findings about comments, and applies to them after they are made")
    func lintOnSuppressionCodes() {
        let analysis = check(
            """
            {
              "services": {
                "users": { "endpoints": [⟨"http://u.example"⟩] } // diddy-mesh-ignore DM502
              },
              "routing": { "default": "users" },
              "lint": { "DM702": "off", "DM701": "error" },
              «// diddy-mesh-ignore-file DM503: none»
            }
            """, shown: [.unusedSuppression], suppressed: [.insecureEndpoint])
        #expect(analysis.diagnostics.first?.severity == .error)
    }

    @Test("lint rejects unknown codes and DM101 through the schema, with suggestions")
    func lintUnknownCodes() {
        check(
            """
            {
              "services": { "users": { "endpoints": ["https://u.example"] } },
              "routing": { "default": "users" },
              "lint": { «"DM5O2"»: "off", «"DM101"»: "off", "DM302": «"of"» }
            }
            """, shown: [.unknownKey, .unknownKey, .valueOutOfRange])
    }

    // MARK: Live findings and DM502

    @Test("live findings are suppressed by the same comments, and a live code is never unused")
    func liveFindings() {
        let fixture = Marked(
            """
            {
              "services": {
                // diddy-mesh-ignore DM602, DM601: the canary is often down
                «"users"»: { "endpoints": ["https://u.example"] }
              },
              "routing": { "default": "users" }
            }
            """)
        let analysis = ConfigAnalysis(fixture.source, path: "mesh.jsonc")
        #expect(analysis.diagnostics.isEmpty, "\(analysis.diagnostics.map(\.message))")
        let live = [
            Diagnostic(.allEndpointsUnhealthy, "every endpoint of 'users' is unhealthy", at: fixture[0]),
            Diagnostic(.registryUnavailable, "the registry did not answer", at: .empty(at: 0)),
        ]
        let outcome = analysis.suppressions.apply(to: live, reportingOnComments: false)
        #expect(outcome.shown.map(\.code) == [.registryUnavailable])
        #expect(outcome.suppressed.map(\.diagnostic.code) == [.allEndpointsUnhealthy])
        #expect(outcome.suppressed.first?.reason == "the canary is often down")
    }

    @Test("DM502 with \"insecure\": true is information; without it, a warning")
    func insecureIsInformation() {
        let analysis = check(
            """
            {
              "services": {
                "users": { "endpoints": [{ "url": «"http://u.example"», "insecure": true }, «"http://v.example"»] }
              },
              "routing": { "default": "users" }
            }
            """, shown: [.insecureEndpoint, .insecureEndpoint])
        #expect(analysis.diagnostics.map(\.severity) == [.information, .warning])
    }

    @Test("the editor's suppress action inserts a comment above the line that then suppresses the finding")
    func suppressAction() {
        let text = """
            {
              "services": {
                "users": { "endpoints": ["http://u.example"] }
              },
              "routing": { "default": "users" }
            }
            """
        let analysis = ConfigAnalysis(SourceText(text), path: "mesh.jsonc")
        guard let finding = analysis.diagnostics.first,
            let fix = SuppressionComment.insertion(suppressing: finding, in: analysis.source)
        else {
            Issue.record("no finding or no action")
            return
        }
        #expect(fix.title == "Suppress DM502 on this line")
        let after = text.applying(fix.edits)
        #expect(after.contains("  \"services\": {\n    // diddy-mesh-ignore DM502\n    \"users\""))
        let again = ConfigAnalysis(SourceText(after), path: "mesh.jsonc")
        #expect(again.diagnostics.map(\.code) == [.suppressionWithoutReason])
        #expect(again.suppressed.map(\.diagnostic.code) == [.insecureEndpoint])
        let syntax = Diagnostic(.syntaxError, "x", at: .empty(at: 0))
        #expect(SuppressionComment.insertion(suppressing: syntax, in: analysis.source) == nil)
    }
}
