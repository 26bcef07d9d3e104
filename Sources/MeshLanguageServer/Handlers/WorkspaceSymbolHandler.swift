import Foundation
import MeshSyntax
import WireJSON

/// `workspace/symbol`: the services and routing rules whose names match the query (see
/// ``SymbolQuery``), from the open documents first, then from the configs of the
/// workspace folders that are not open (``WorkspaceSymbolIndex``), at most
/// ``resultLimit`` of them.
enum WorkspaceSymbolHandler: RequestHandler {
    static let method = "workspace/symbol"
    /// The most symbols one answer holds: a picker shows a screenful, and a vague query
    /// in a large workspace must not send thousands.
    static let resultLimit = 256

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let query = SymbolQuery(try ParamsReader(params).optionalString("query") ?? "")
        var results: [JSONValue] = []
        var openPaths: Set<String> = []
        for (uri, snapshot) in context.documents.open.sorted(by: { $0.key < $1.key }) {
            if let path = DocumentURI.filePath(uri) { openPaths.insert(path) }
            let analysis = snapshot.analysis
            let converter = snapshot.converter(context.encoding)
            for symbol in WorkspaceSymbol.symbols(tree: analysis.tree, config: analysis.config)
            where query.matches(symbol.name) {
                results.append(symbol.json(uri: uri, converter: converter))
                if results.count == resultLimit { return .array(results) }
            }
        }
        for file in context.workspaceSymbols.files(in: context.workspaceFolders, excluding: openPaths) {
            let uri = URL(fileURLWithPath: file.path).absoluteString
            let converter = PositionConverter(lineIndex: file.lineIndex, encoding: context.encoding)
            for symbol in file.symbols where query.matches(symbol.name) {
                results.append(symbol.json(uri: uri, converter: converter))
                if results.count == resultLimit { return .array(results) }
            }
        }
        return .array(results)
    }
}
