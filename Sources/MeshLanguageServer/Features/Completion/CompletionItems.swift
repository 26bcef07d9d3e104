import MeshConfig
import MeshSyntax

/// What completion offers at a cursor (`textDocument/completion`): service names where a
/// service is referenced, the keys valid at the cursor (with docs and a value placeholder),
/// and enum values, as plain values with byte ranges; ``CompletionHandler`` turns them
/// into LSP JSON.
enum CompletionItems {
    /// The completions at `offset`; service items carry their summary when
    /// `serviceDocumentation`, else they are marked for `completionItem/resolve`.
    static func at(_ offset: Int, in analysis: DocumentAnalysis, snippets: Bool, serviceDocumentation: Bool = true)
        -> [CompletionItem]
    {
        switch CursorContext.at(offset, in: analysis.tree) {
        case .key(let objectPath, let existing, let replace, let hasColon):
            return keyItems(
                objectPath: objectPath, existing: existing, replace: replace, hasColon: hasColon, snippets: snippets)
        case .value(let path, let replace):
            if ServiceReferencePath.matches(path) {
                return serviceItems(analysis.config, replace: replace, documented: serviceDocumentation)
            }
            return valueItems(path: path, replace: replace)
        case .none:
            return []
        }
    }

    private static func keyItems(
        objectPath: [PathComponent], existing: Set<String>, replace: ByteRange,
        hasColon: Bool, snippets: Bool
    ) -> [CompletionItem] {
        guard let node = SchemaDocs.node(at: objectPath) else { return [] }
        return SchemaDocs.properties(of: node).enumerated().compactMap { index, property in
            guard !existing.contains(property.name) else { return nil }
            let insert =
                hasColon
                ? "\"\(property.name)\""
                : SchemaDocs.keyInsertText(name: property.name, node: property.node, snippet: snippets)
            return CompletionItem(
                label: property.name, kind: LSP.CompletionItemKind.property,
                detail: SchemaDocs.typeDescription(property.node) + (property.required ? " (required)" : ""),
                documentation: SchemaDocs.markdown(for: property.node, key: property.name),
                newText: insert, isSnippet: snippets && !hasColon, replace: replace,
                sortText: CompletionItem.sortKey(index))
        }
    }

    private static func serviceItems(_ config: MeshConfig, replace: ByteRange, documented: Bool) -> [CompletionItem] {
        config.services.map { service in
            CompletionItem(
                label: service.name.value, kind: LSP.CompletionItemKind.module,
                detail: ServiceSummary.detail(for: service),
                documentation: documented ? ServiceSummary.markdown(for: service, in: config) : nil,
                newText: StringEncoding.literal(service.name.value), isSnippet: false, replace: replace, sortText: nil,
                resolveService: service.name.value)
        }
    }

    private static func valueItems(path: [PathComponent], replace: ByteRange) -> [CompletionItem] {
        guard let node = SchemaDocs.node(at: path) else { return [] }
        let allowed = node.allowedValues
        if !allowed.isEmpty {
            return allowed.enumerated().map { index, value in
                CompletionItem(
                    label: value, kind: LSP.CompletionItemKind.enumMember, detail: node.title,
                    documentation: nil, newText: StringEncoding.literal(value), isSnippet: false, replace: replace,
                    sortText: CompletionItem.sortKey(index))
            }
        }
        if node.typeNames.contains("boolean") {
            return ["true", "false"].map {
                CompletionItem(
                    label: $0, kind: LSP.CompletionItemKind.value, detail: node.title, documentation: nil,
                    newText: $0, isSnippet: false, replace: replace, sortText: nil)
            }
        }
        return []
    }
}

/// One completion, before conversion to LSP.
struct CompletionItem: Sendable, Equatable {
    var label: String
    var kind: Int64
    var detail: String?
    var documentation: String?
    /// What replaces `replace`.
    var newText: String
    var isSnippet: Bool
    var replace: ByteRange
    var sortText: String?
    /// The service whose summary `completionItem/resolve` supplies, for service items.
    var resolveService: String? = nil

    /// A sort key that keeps the schema's order (`007` sorts before `012`).
    static func sortKey(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}

/// The places where a value names a service (docs/guide/config-reference.md): a rule's `service`, a split
/// branch's `service`, `routing.default`, a service's `fallback` and `auth.allow` entries.
enum ServiceReferencePath {
    private enum Step {
        case key(String)
        case anyKey
        case anyIndex
    }

    private static let patterns: [[Step]] = [
        [.key("routing"), .key("rules"), .anyIndex, .key("service")],
        [.key("routing"), .key("rules"), .anyIndex, .key("split"), .anyIndex, .key("service")],
        [.key("routing"), .key("default")],
        [.key("services"), .anyKey, .key("fallback")],
        [.key("services"), .anyKey, .key("auth"), .key("allow"), .anyIndex],
    ]

    /// Whether the value at `path` names a service.
    static func matches(_ path: [PathComponent]) -> Bool {
        patterns.contains { pattern in
            pattern.count == path.count
                && zip(pattern, path).allSatisfy { step, component in
                    switch (step, component) {
                    case (.key(let expected), .key(let name)): expected == name
                    case (.anyKey, .key), (.anyIndex, .index): true
                    default: false
                    }
                }
        }
    }
}
