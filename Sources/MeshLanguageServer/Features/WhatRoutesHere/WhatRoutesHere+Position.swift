import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

extension WhatRoutesHere {
    /// The position forms. A cursor on a service's name (its key under `services`, or any
    /// reference: a rule's `service`, a split branch, `routing.default`, a `fallback`, an
    /// `auth.allow` entry) asks about that service, even inside a rule, because the name
    /// is the more specific thing under the cursor; anywhere else inside a rule object of
    /// `routing.rules` asks about the rule. Anywhere else the answer is `null`, as for
    /// hover or definition on a position with nothing to say.
    static func answerAtPosition(_ params: ParamsReader, context: RequestContext) async throws(ResponseError)
        -> JSONValue
    {
        let (snapshot, converter, offset) = try context.position(in: params)
        let analysis = snapshot.analysis
        let answers = ReachAnswers(
            router: Router(config: analysis.config), converter: converter,
            health: await context.live.routeHealth(for: snapshot))
        if let occurrence = ServiceSymbols.occurrence(at: offset, in: analysis) {
            let definition = ServiceSymbols.occurrences(of: occurrence.name, in: analysis).first(where: \.isDefinition)
            return ServiceReachAnswer(answers: answers, name: occurrence.name, definition: definition?.range).json()
        }
        if let position = rulePosition(at: offset, in: answers.router.table) {
            return RuleReachAnswer(answers: answers, position: position).json()
        }
        return .null
    }

    /// The position in the route table of the rule whose object contains `offset` (a
    /// cursor right after its closing brace still counts).
    static func rulePosition(at offset: Int, in table: RouteTable) -> Int? {
        table.compiled.firstIndex { $0.rule.range.start <= offset && offset <= $0.rule.range.end }
    }
}

/// What both position forms share: the router over the document's config, the document's
/// live health, fresh router state for every trace, and the JSON of rules and traces with
/// ranges in the negotiated encoding.
struct ReachAnswers {
    let router: Router
    let converter: PositionConverter
    /// The live data every trace is routed with, unless a route assumes other health.
    let health: HealthSnapshot

    /// The trace of `request` as the request form answers it (``RoutePreview``), with
    /// `seed` for random draws and `health` as the live data (the document's by default).
    func trace(_ request: RouteRequest, seed: UInt64 = 0, health: HealthSnapshot? = nil) -> DecisionTrace {
        RoutePreview.trace(request, router: router, health: health ?? self.health, seed: seed)
    }

    /// A trace as `diddy-mesh route --format json` prints it, with LSP ranges.
    func json(_ trace: DecisionTrace) -> JSONValue {
        TraceJSON.encode(trace) { converter.range($0) }
    }

    /// A rule as the trace names its matched rule: `{index, name, path, range}`.
    func json(_ rule: Rule) -> JSONValue {
        [
            "index": .int(Int64(rule.index)),
            "name": rule.name.map { .string($0.value) } ?? .null,
            "path": .string(rule.path?.value ?? ""),
            "range": converter.range(rule.range),
        ]
    }
}
