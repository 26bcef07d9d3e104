import MeshSyntax
import WireJSON

/// Conversion of a ``Diagnostic`` to LSP's `Diagnostic`.
enum LSPDiagnostic {
    /// The `source` every diagnostic carries.
    static let source = "diddy-mesh"

    /// The LSP form: code and its documentation link, severity, `source`, related
    /// information in the same document, tags (DM302 is `unnecessary`), and the help
    /// lines appended to the message because LSP has no separate field for them.
    static func json(_ diagnostic: Diagnostic, uri: String, converter: PositionConverter) -> JSONValue {
        var message = diagnostic.message
        for help in diagnostic.help { message += "\nhelp: \(help)" }
        var object: JSONObject = [
            "range": converter.range(diagnostic.range),
            "severity": .int(Int64(diagnostic.severity.rawValue)),
            "code": .string(diagnostic.code.rawValue),
            "codeDescription": ["href": .string(diagnostic.code.documentationURL)],
            "source": .string(source),
            "message": .string(message),
        ]
        if !diagnostic.related.isEmpty {
            object["relatedInformation"] = .array(
                diagnostic.related.map { related in
                    [
                        "location": LSP.location(uri: uri, range: related.range, converter: converter),
                        "message": .string(related.message),
                    ]
                })
        }
        if !diagnostic.tags.isEmpty {
            object["tags"] = .array(diagnostic.tags.map { .int(Int64($0.rawValue)) })
        }
        return .object(object)
    }
}
