import WireJSON

/// The parts of the client's capabilities that change what the server sends.
struct ClientCapabilities: Sendable, Equatable {
    /// Completion items may use snippet syntax (`${1:5000}`).
    var snippets = false
    /// Completion documentation may be markdown; otherwise it is sent as a plain string.
    var completionMarkdown = false
    /// The client asks `completionItem/resolve` for an item's documentation when it shows
    /// it, so long lists can leave documentation out.
    var resolvesCompletionDocumentation = false
    /// The completion-list defaults the client applies to items that leave them out
    /// (LSP 3.17 `itemDefaults`: `editRange`, `data`, ...).
    var completionItemDefaults: Set<String> = []
    /// Hover contents may be markdown (assumed when the client does not say).
    var hoverMarkdown = true
    /// `documentSymbol` may answer a hierarchy; otherwise a flat list of symbols.
    var hierarchicalSymbols = false
    /// The client watches files the server names (`client/registerCapability` for
    /// `workspace/didChangeWatchedFiles`).
    var watchesFilesOnRequest = false
    /// The client pulls diagnostics again when asked (`workspace/diagnostic/refresh`),
    /// which is how live findings reach a client that pulls.
    var refreshesPulledDiagnostics = false
    /// Document links may carry a tooltip.
    var linkTooltips = false

    init() {}

    /// Reads `capabilities` from `initialize`'s params; anything malformed reads as "not supported".
    init(_ capabilities: JSONValue?) {
        let textDocument = capabilities?["textDocument"]
        let completionItem = textDocument?["completion"]?["completionItem"]
        snippets = completionItem?["snippetSupport"]?.boolValue ?? false
        completionMarkdown = Self.kinds(completionItem?["documentationFormat"]).contains("markdown")
        resolvesCompletionDocumentation = Self.kinds(completionItem?["resolveSupport"]?["properties"]).contains(
            "documentation")
        completionItemDefaults = Set(Self.kinds(textDocument?["completion"]?["completionList"]?["itemDefaults"]))
        if let formats = textDocument?["hover"]?["contentFormat"]?.arrayValue {
            hoverMarkdown = formats.contains(.string("markdown"))
        }
        hierarchicalSymbols = textDocument?["documentSymbol"]?["hierarchicalDocumentSymbolSupport"]?.boolValue ?? false
        watchesFilesOnRequest =
            capabilities?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.boolValue ?? false
        refreshesPulledDiagnostics = capabilities?["workspace"]?["diagnostics"]?["refreshSupport"]?.boolValue ?? false
        linkTooltips = textDocument?["documentLink"]?["tooltipSupport"]?.boolValue ?? false
    }

    private static func kinds(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
