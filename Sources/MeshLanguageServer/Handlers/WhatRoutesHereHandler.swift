import WireJSON

/// `diddyMesh/whatRoutesHere` (docs/guide/editors.md): what the router does with the document's current,
/// unsaved text. Params `{"textDocument": {"uri"}, "position"?, "request"?}`:
///
/// - with `request` (`{method?, url, headers?, cf?}`): the decision trace of routing it,
///   the JSON of `diddy-mesh route --format json`;
/// - with only `position`, on a service's name (its definition or any reference): every
///   rule, split branch, `routing.default` and fallback that sends requests to it, each
///   with a witness trace (``ServiceReachAnswer`` has the shape and how split branches
///   and fallbacks are forced);
/// - with only `position`, anywhere else inside a rule object of `routing.rules`:
///   `{"rule", "examples", "shadowedBy", "unreachable", "notes"?}` (``RuleReachAnswer``);
/// - with only `position`, on neither: `null`, as hover and definition answer where there
///   is nothing to say.
///
/// With both `request` and `position`, `request` wins. With neither, or a malformed
/// member, the error is -32602 naming the member. Ranges are in the negotiated position
/// encoding; every trace is computed with fresh router state (seed 0 unless a split entry
/// names another) and the document's live health (what `diddy-mesh route --live` reads),
/// so routing a witness's request with the request form gives the same trace.
enum WhatRoutesHereHandler: RequestHandler {
    static let method = "diddyMesh/whatRoutesHere"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        try await WhatRoutesHere.answer(try ParamsReader(params), context: context)
    }
}
