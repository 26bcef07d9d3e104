import MeshRegistry
import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

/// What routes here, against a document's current (unsaved) text, ranges in the
/// negotiated position encoding. Three forms, by the params given:
///
/// - `request`: the decision trace of that request, as `diddy-mesh route --format json`
///   prints it (this file);
/// - `position` on a rule: requests that reach the rule and the earlier rules that take
///   the rest (``RuleReachAnswer``);
/// - `position` on a service's name: every rule, split branch, default and fallback that
///   sends requests to it (``ServiceReachAnswer``).
///
/// With both, `request` wins; with neither, the params are invalid.
enum WhatRoutesHere {
    /// The name of the `workspace/executeCommand` command that does the same.
    static let command = "diddy-mesh.whatRoutesHere"

    /// Answers `params` (`{textDocument, request}` or `{textDocument, position}`) from `context`.
    /// Every trace is routed with the document's live health (``LiveRegistry/routeHealth(for:)``),
    /// as `diddy-mesh route --live` routes it.
    static func answer(_ params: ParamsReader, context: RequestContext) async throws(ResponseError) -> JSONValue {
        if let requestParams = try params.optionalObject("request") {
            let request = try routeRequest(requestParams)
            let (snapshot, converter) = try context.document(in: params)
            let health = await context.live.routeHealth(for: snapshot)
            let trace = RoutePreview.trace(request, router: Router(config: snapshot.analysis.config), health: health)
            return TraceJSON.encode(trace) { converter.range($0) }
        }
        guard params["position"] != nil else {
            throw .invalidParams(
                "\(params.path) needs 'request' (a request to route) or 'position' (on a rule or a service name)")
        }
        return try await answerAtPosition(params, context: context)
    }

    /// The router's request for a `request` object: `{method?, url, headers?, cf?}`.
    static func routeRequest(_ reader: ParamsReader) throws(ResponseError) -> RouteRequest {
        let url = try reader.string("url")
        let method = try reader.optionalString("method") ?? "GET"
        var headers: [(String, String)] = []
        if let headerReader = try reader.optionalObject("headers") {
            for key in headerReader.object.keys.sorted() {
                headers.append((key, try headerReader.string(key)))
            }
        }
        var cf = GeoContext()
        if let cfReader = try reader.optionalObject("cf") {
            cf = GeoContext(
                colo: try cfReader.optionalString("colo"),
                country: try cfReader.optionalString("country"),
                continent: try cfReader.optionalString("continent"),
                latitude: try cfReader.optionalDouble("latitude"),
                longitude: try cfReader.optionalDouble("longitude"))
        }
        // The URL alone first, so that its errors are named as URL errors.
        if case .failure(let error) = RouteRequest.make(url: url) {
            throw ResponseError(
                code: ResponseError.Code.invalidParams, message: "invalid request URL: \(error.message)")
        }
        switch RouteRequest.make(method: method, url: url, headers: headers, cf: cf) {
        case .success(let request): return request
        case .failure(let error):
            throw ResponseError(code: ResponseError.Code.invalidParams, message: "invalid request: \(error.message)")
        }
    }
}
