import MeshConfig
import MeshSyntax
import WireJSON

/// The `--format json` document of docs/guide/ci.md.
public enum JSONFormatter {
    /// One JSON document describing every file and the summary.
    public static func format(_ files: [CheckedFile]) -> String {
        let summary = CheckSummary(files)
        let document: JSONValue = [
            "version": 1,
            "files": .array(files.map(file)),
            "summary": [
                "files": .int(Int64(summary.files)),
                "errors": .int(Int64(summary.errors)),
                "warnings": .int(Int64(summary.warnings)),
                "information": .int(Int64(summary.information)),
                "hints": .int(Int64(summary.hints)),
                "suppressed": .int(Int64(summary.suppressed)),
            ],
        ]
        return WireJSON.serialize(document, pretty: true) + "\n"
    }

    /// A file's findings; `suppressed` (each finding with the comment's `justification`)
    /// appears only when a comment suppressed something.
    static func file(_ file: CheckedFile) -> JSONValue {
        var object: JSONObject = [
            "path": .string(file.path), "diagnostics": .array(file.diagnostics.map { diagnostic($0, in: file.source) }),
        ]
        if !file.suppressed.isEmpty {
            object["suppressed"] = .array(
                file.suppressed.map { suppressed in
                    guard case .object(var entry) = diagnostic(suppressed.diagnostic, in: file.source) else {
                        return .null
                    }
                    if let reason = suppressed.reason { entry["justification"] = .string(reason) }
                    return .object(entry)
                })
        }
        return .object(object)
    }

    static func diagnostic(_ diagnostic: Diagnostic, in source: SourceText) -> JSONValue {
        var object: JSONObject = [
            "code": .string(diagnostic.code.rawValue),
            "severity": .string(diagnostic.severity.description),
            "message": .string(diagnostic.message),
            "range": range(diagnostic.range, in: source),
        ]
        if !diagnostic.related.isEmpty {
            object["related"] = .array(
                diagnostic.related.map { ["message": .string($0.message), "range": range($0.range, in: source)] })
        }
        if !diagnostic.help.isEmpty {
            object["help"] = .array(diagnostic.help.map { .string($0) })
        }
        if !diagnostic.fixes.isEmpty {
            object["fixes"] = .array(
                diagnostic.fixes.map { fix in
                    [
                        "title": .string(fix.title),
                        "edits": .array(
                            fix.edits.map { ["range": range($0.range, in: source), "newText": .string($0.newText)] }),
                    ]
                })
        }
        if diagnostic.tags.contains(.unnecessary) {
            object["tags"] = ["unnecessary"]
        }
        return .object(object)
    }

    /// A range as 1-based lines and 1-based UTF-16 columns, end exclusive.
    static func range(_ range: ByteRange, in source: SourceText) -> JSONValue {
        let start = OutputPosition(range.start, in: source)
        let end = OutputPosition(range.end, in: source)
        return [
            "start": ["line": .int(Int64(start.line)), "column": .int(Int64(start.column))],
            "end": ["line": .int(Int64(end.line)), "column": .int(Int64(end.column))],
        ]
    }
}
