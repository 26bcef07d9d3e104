import WireJSON

/// `diddyMesh/whatRoutesHere` (request form): the decision trace of routing a request
/// against the document's current, unsaved text.
enum WhatRoutesHereHandler: RequestHandler {
    static let method = "diddyMesh/whatRoutesHere"

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        try WhatRoutesHere.answer(try ParamsReader(params), context: context)
    }
}
