import MeshConfig
import MeshSyntax
import WireJSON

/// SARIF 2.1.0 output: one run whose driver lists every diagnostic code as a rule.
public enum SARIFFormatter {
    /// The tool's version as reported in SARIF and `--version`.
    public static let toolVersion = DiddyMeshVersion.current

    /// One SARIF log for `files`.
    public static func format(_ files: [CheckedFile]) -> String {
        let codes = DiagnosticCode.allCases
        let rules: [JSONValue] = codes.map { code in
            [
                "id": .string(code.rawValue),
                "name": .string(code.name),
                "shortDescription": ["text": .string(code.summary)],
                "fullDescription": ["text": .string(code.summary)],
                "helpUri": .string(code.documentationURL),
                "defaultConfiguration": ["level": .string(level(code.defaultSeverity))],
            ]
        }
        var results: [JSONValue] = []
        for file in files {
            for diagnostic in file.diagnostics {
                results.append(result(diagnostic, in: file, ruleIndex: codes.firstIndex(of: diagnostic.code) ?? 0))
            }
            for suppressed in file.suppressed {
                let code = suppressed.diagnostic.code
                results.append(
                    result(
                        suppressed.diagnostic, in: file, ruleIndex: codes.firstIndex(of: code) ?? 0,
                        suppression: suppression(suppressed)))
            }
        }
        let log: JSONValue = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "diddy-mesh",
                            "semanticVersion": .string(toolVersion),
                            "informationUri": "https://github.com/diddy-mesh/diddy-mesh",
                            "rules": .array(rules),
                        ]
                    ],
                    "columnKind": "utf16CodeUnits",
                    "artifacts": .array(files.map { ["location": ["uri": .string(uri($0.path))]] }),
                    "results": .array(results),
                ]
            ],
        ]
        return WireJSON.serialize(log, pretty: true) + "\n"
    }

    /// One result. Every result carries `suppressions`: empty says suppressions were
    /// looked for and none applies (SARIF 2.1.0, 3.27.23), which code-scanning services
    /// read to tell a dismissed result from an open one.
    static func result(
        _ diagnostic: Diagnostic, in file: CheckedFile, ruleIndex: Int, suppression: JSONValue? = nil
    ) -> JSONValue {
        var object: JSONObject = [
            "ruleId": .string(diagnostic.code.rawValue),
            "ruleIndex": .int(Int64(ruleIndex)),
            "level": .string(level(diagnostic.severity)),
            "message": ["text": .string(diagnostic.message)],
            "locations": [location(diagnostic.range, in: file)],
            "suppressions": .array(suppression.map { [$0] } ?? []),
        ]
        if !diagnostic.related.isEmpty {
            object["relatedLocations"] = .array(
                diagnostic.related.enumerated().map { index, related in
                    guard case .object(var location) = location(related.range, in: file) else { return .null }
                    location["id"] = .int(Int64(index))
                    location["message"] = ["text": .string(related.message)]
                    return .object(location)
                })
        }
        if !diagnostic.fixes.isEmpty {
            object["fixes"] = .array(
                diagnostic.fixes.map { fix in
                    [
                        "description": ["text": .string(fix.title)],
                        "artifactChanges": [
                            [
                                "artifactLocation": ["uri": .string(uri(file.path))],
                                "replacements": .array(
                                    fix.edits.map { edit in
                                        [
                                            "deletedRegion": region(edit.range, in: file.source),
                                            "insertedContent": ["text": .string(edit.newText)],
                                        ]
                                    }),
                            ]
                        ],
                    ]
                })
        }
        return .object(object)
    }

    /// A `diddy-mesh-ignore` comment as a SARIF suppression: in the source, with the
    /// comment's reason as the justification.
    static func suppression(_ suppressed: SuppressedDiagnostic) -> JSONValue {
        var object: JSONObject = ["kind": "inSource", "status": "accepted"]
        if let reason = suppressed.reason { object["justification"] = .string(reason) }
        return .object(object)
    }

    static func location(_ range: ByteRange, in file: CheckedFile) -> JSONValue {
        [
            "physicalLocation": [
                "artifactLocation": ["uri": .string(uri(file.path))], "region": region(range, in: file.source),
            ]
        ]
    }

    static func region(_ range: ByteRange, in source: SourceText) -> JSONValue {
        let start = OutputPosition(range.start, in: source)
        let end = OutputPosition(range.end, in: source)
        return [
            "startLine": .int(Int64(start.line)), "startColumn": .int(Int64(start.column)),
            "endLine": .int(Int64(end.line)), "endColumn": .int(Int64(end.column)),
        ]
    }

    /// SARIF's level for a severity: information and hints are notes.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .information, .hint: "note"
        }
    }

    /// A relative URI reference for a path: every byte percent-encoded but the RFC 3986
    /// unreserved characters and `/`.
    static func uri(_ path: String) -> String {
        PercentEncoding.encode(path) { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/") }
    }
}
