import MeshSyntax
import WireJSON

/// Builders of the LSP structures several handlers share.
enum LSP {
    /// A `Location`.
    static func location(uri: String, range: ByteRange, converter: PositionConverter) -> JSONValue {
        ["uri": .string(uri), "range": converter.range(range)]
    }

    /// A `TextEdit`.
    static func textEdit(_ edit: MeshSyntax.TextEdit, converter: PositionConverter) -> JSONValue {
        ["range": converter.range(edit.range), "newText": .string(edit.newText)]
    }

    /// A `WorkspaceEdit` changing one document.
    static func workspaceEdit(uri: String, edits: [MeshSyntax.TextEdit], converter: PositionConverter) -> JSONValue {
        let sorted = edits.sorted { $0.range.start < $1.range.start }
        let object = JSONObject([(uri, .array(sorted.map { textEdit($0, converter: converter) }))])
        return ["changes": .object(object)]
    }

    /// A `MarkupContent` in the kind the client renders.
    static func markup(_ markdown: String, plainText: Bool) -> JSONValue {
        ["kind": plainText ? "plaintext" : "markdown", "value": .string(markdown)]
    }

    /// `SymbolKind` values used by the document outline.
    enum SymbolKind {
        static let module: Int64 = 2
        static let namespace: Int64 = 3
        static let `class`: Int64 = 5
        static let field: Int64 = 8
        static let function: Int64 = 12
        static let string: Int64 = 15
        static let event: Int64 = 24
    }

    /// `CompletionItemKind` values used by completion.
    enum CompletionItemKind {
        static let property: Int64 = 10
        static let module: Int64 = 9
        static let value: Int64 = 12
        static let `enum`: Int64 = 13
        static let enumMember: Int64 = 20
    }

    /// `DocumentHighlightKind` values.
    enum HighlightKind {
        static let text: Int64 = 1
        static let read: Int64 = 2
        static let write: Int64 = 3
    }

    /// `MessageType` values for `window/logMessage`.
    enum MessageType: Int64, Sendable {
        case error = 1
        case warning = 2
        case info = 3
        case log = 4
    }
}
