import MeshRegistry
import MeshSyntax
import MeshTestSupport
import WireJSON

@testable import MeshLanguageServer

/// A marked document opened in a request context, for calling handlers directly.
struct Fixture {
    static let uri = "file:///fixture/mesh.jsonc"

    let marked: Marked
    let context: RequestContext
    let converter: PositionConverter

    /// Opens `text` (with markers) as `directory/name`; `live` defaults to a registry that
    /// is switched off, so static tests never look at the disk.
    init(
        _ text: String, encoding: PositionEncoding = .utf16, client: ClientCapabilities = ClientCapabilities(),
        name: String = "mesh.jsonc",
        directory: String = "/fixture", live: LiveRegistry = .switchedOff,
        liveDiagnostics: LiveDiagnosticsStore = LiveDiagnosticsStore()
    ) {
        marked = Marked(text)
        var documents = DocumentStore()
        let snapshot = documents.open(
            uri: "file://\(directory)/\(name)", languageID: "jsonc", version: 1, text: marked.text)
        context = RequestContext(
            documents: documents, encoding: encoding, client: client, live: live, liveDiagnostics: liveDiagnostics)
        converter = snapshot.converter(encoding)
    }

    var uri: String { context.documents.open.keys.first ?? Self.uri }

    /// The opened document.
    var snapshot: DocumentSnapshot? { context.documents.open.values.first }

    /// `TextDocumentPositionParams` at `$digit`, plus `extra` members.
    func params(at digit: Int = 0, _ extra: [(String, JSONValue)] = []) -> JSONValue {
        var object: JSONObject = [
            "textDocument": ["uri": .string(uri)], "position": converter.position(marked[position: digit]),
        ]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    /// `{textDocument}` plus `extra` members.
    func documentParams(_ extra: [(String, JSONValue)] = []) -> JSONValue {
        var object: JSONObject = ["textDocument": ["uri": .string(uri)]]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    /// Marked range `index` as an LSP range.
    func range(_ index: Int) -> JSONValue { converter.range(marked[range: index]) }

    /// Calls `handler`; an error comes back as `{"error": code}`.
    func call(_ handler: any RequestHandler.Type, _ params: JSONValue) async -> JSONValue {
        do {
            return try await handler.handle(params, context: context)
        } catch {
            return ["error": .int(Int64(error.code))]
        }
    }

    /// The document text with a `WorkspaceEdit`'s or `[TextEdit]`'s edits applied.
    func applying(_ edits: JSONValue) -> String {
        let list = edits["changes"]?[uri]?.arrayValue ?? edits.arrayValue ?? []
        let textEdits = list.compactMap { edit -> TextEdit? in
            guard let start = edit["range"]?["start"], let end = edit["range"]?["end"],
                let text = edit["newText"]?.stringValue
            else { return nil }
            return TextEdit(range: ByteRange(start: offset(start), end: offset(end)), newText: text)
        }
        return marked.text.applying(textEdits)
    }

    private func offset(_ position: JSONValue) -> Int {
        converter.offset(
            of: LinePosition(
                line: Int(position["line"]?.intValue ?? 0), character: Int(position["character"]?.intValue ?? 0)))
    }
}

extension LiveRegistry {
    /// A registry with `diddyMesh.registry` set to `off`.
    static var switchedOff: LiveRegistry {
        let live = LiveRegistry(environment: [:])
        var settings = LiveSettings()
        settings.registry = .off
        live.update(settings)
        return live
    }
}
