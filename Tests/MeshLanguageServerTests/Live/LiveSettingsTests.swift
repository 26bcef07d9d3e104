import Foundation
import MeshRegistry
import Testing
import WireJSON

@testable import MeshLanguageServer

/// `settings` (JSON text) read into LiveSettings equals `expected`, with exactly `warnings`.
private func check(
    _ settings: String, _ expected: LiveSettings, warnings: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard case .success(let value) = WireJSON.parse(settings) else {
        Issue.record("not JSON: \(settings)", sourceLocation: sourceLocation)
        return
    }
    var heard: [String] = []
    let read = LiveSettings(value) { heard.append($0) }
    #expect(read == expected, sourceLocation: sourceLocation)
    #expect(heard == warnings, sourceLocation: sourceLocation)
}

private func settings(_ change: (inout LiveSettings) -> Void) -> LiveSettings {
    var value = LiveSettings()
    change(&value)
    return value
}

@Suite("live settings")
struct LiveSettingsTests {
    @Test("nested, dotted and section-wrapped shapes read the same")
    func shapes() {
        let expected = settings {
            $0.registry = .cloudflare
            $0.accountId = "acc"
            $0.deadlineMs = 250
            $0.staleAfterSeconds = 90
            $0.liveDiagnostics = false
        }
        check(
            #"{"registry": "cloudflare", "accountId": "acc", "live": {"deadlineMs": 250}, "health": "#
                + #"{"staleAfterSeconds": 90}, "diagnostics": {"live": false}}"#,
            expected)
        check(
            #"{"registry": "cloudflare", "accountId": "acc", "live.deadlineMs": 250, "health.staleAfterSeconds": 90,"#
                + #" "diagnostics.live": false}"#,
            expected)
        check(
            #"{"diddyMesh": {"registry": "cloudflare", "accountId": "acc", "live": {"deadlineMs": 250}, "#
                + #""health.staleAfterSeconds": 90, "diagnostics": {"live": false}}}"#,
            expected)
    }

    @Test("defaults: no settings, null values and empty strings change nothing")
    func defaults() {
        check("null", LiveSettings())
        check("{}", LiveSettings())
        check(#"{"registry": null, "persistTo": "", "namespaceId": null}"#, LiveSettings())
        #expect(LiveSettings().deadlineMs == 500)
    }

    @Test("a value of the wrong type or out of range is ignored with a warning")
    func wrongTypes() {
        check(
            #"{"registry": "s3", "live": {"deadlineMs": -5, "cacheSeconds": "10"}, "persistTo": "/state"}"#,
            settings { $0.persistTo = "/state" },
            warnings: [
                "ignored the setting diddyMesh.registry: expected string (one of wrangler-local, cloudflare, off)",
                "ignored the setting diddyMesh.live.deadlineMs: expected integer",
                "ignored the setting diddyMesh.live.cacheSeconds: expected number",
            ])
    }

    @Test(
        "the settings the server reads are those of the spec, plus allowCloudflare",
        .enabled(if: SharedSpec.available, SharedSpec.skipNote))
    func matchesSpec() throws {
        let spec = try String(contentsOfFile: SharedSpec.path("lsp.md"), encoding: .utf8)
        let section = try #require(spec.range(of: "## Settings")).upperBound
        let paragraph = String(spec[section...]).components(separatedBy: "The API token")[0]
        let afterColon = try #require(paragraph.range(of: "section):")).upperBound
        let names = paragraph[afterColon...].split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element)
        }
        .filter { !$0.contains("\"") }
        // `allowCloudflare` comes after the spec's list: workspace trust (docs/security.md).
        let expected = names + ["allowCloudflare"]
        #expect(expected == SettingDescriptor.all.map(\.key))
        let printed = try #require(WireJSON.parse(ServerSettings.descriptionJSON()).get().objectValue)
        #expect(printed.keys.sorted() == expected.map { "diddyMesh." + $0 }.sorted())
    }
}

/// The shared spec folder beside the repository, absent on a user's clone.
enum SharedSpec {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../shared/spec").standardizedFileURL.path
    static var available: Bool { FileManager.default.fileExists(atPath: directory + "/lsp.md") }
    static let skipNote: Comment = "../shared/spec is absent (a user's clone); the spec cross-check needs it"
    static func path(_ name: String) -> String { directory + "/" + name }
}
