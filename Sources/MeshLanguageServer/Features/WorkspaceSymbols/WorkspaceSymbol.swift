import MeshConfig
import MeshSyntax
import WireJSON

/// One symbol of `workspace/symbol`: a service or a routing rule of one config, as the
/// document outline names it (``DocumentOutline``), with the outline group it sits in.
struct WorkspaceSymbol: Sendable, Equatable {
    /// The outline's name (a service's name; a rule's name, else its path).
    var name: String
    /// The outline's kind.
    var kind: Int64
    /// The outline group: `services` or `routing`.
    var containerName: String
    /// The symbol's whole range.
    var range: ByteRange

    /// The services and rules of a config's outline; endpoints are parts of a service, not
    /// symbols a workspace search looks for.
    static func symbols(tree: SyntaxTree, config: MeshConfig) -> [WorkspaceSymbol] {
        DocumentOutline.symbols(tree: tree, config: config).flatMap { group in
            group.children.map {
                WorkspaceSymbol(name: $0.name, kind: $0.kind, containerName: group.name, range: $0.range)
            }
        }
    }

    /// A `SymbolInformation` in the document at `uri`.
    func json(uri: String, converter: PositionConverter) -> JSONValue {
        [
            "name": .string(name.isEmpty ? "\"\"" : name),
            "kind": .int(kind),
            "location": LSP.location(uri: uri, range: range, converter: converter),
            "containerName": .string(containerName),
        ]
    }
}
