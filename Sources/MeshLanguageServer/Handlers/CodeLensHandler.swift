import MeshConfig
import MeshRegistry
import MeshRouter
import WireJSON

/// `textDocument/codeLens`: the lenses of ``CodeLenses``, each running
/// `diddy-mesh.whatRoutesHere` at its position when clicked.
///
/// The rules' health part waits at most `live.deadlineMs` for the registry, like hover;
/// without an answer the lenses still come, saying why health is missing.
enum CodeLensHandler: RequestHandler {
    static let method = "textDocument/codeLens"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let (snapshot, converter) = try context.document(in: try ParamsReader(params))
        let analysis = snapshot.analysis
        let health = await health(for: snapshot, live: context.live)
        return .array(
            CodeLenses.lenses(for: analysis, health: health).map { lens in
                let range = converter.range(lens.range)
                return [
                    "range": range,
                    "command": [
                        "title": .string(lens.title),
                        "command": .string(WhatRoutesHere.command),
                        "arguments": [
                            ["textDocument": ["uri": .string(snapshot.uri)], "position": range["start"] ?? .null]
                        ],
                    ],
                ]
            })
    }

    private static func health(for snapshot: DocumentSnapshot, live: LiveRegistry) async -> CodeLenses.Health {
        let config = snapshot.analysis.config
        guard !config.routing.rules.isEmpty else { return .none }
        switch live.source(for: snapshot) {
        case .off, .notAsked:
            return .none
        case .unavailable(let error):
            return .unavailable(error)
        case .reader(let reader, _):
            switch await reader.healthSnapshot(for: config) {
            case .value(let snapshot, let fetchedAt):
                return .snapshot(snapshot, sinceFetch: max(0, live.now() - fetchedAt))
            case .unavailable(let error): return .unavailable(error)
            }
        }
    }
}
