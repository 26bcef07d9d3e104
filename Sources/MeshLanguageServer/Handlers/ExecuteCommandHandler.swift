import WireJSON

/// `workspace/executeCommand`: the server's commands, for clients that only run commands.
/// `diddy-mesh.whatRoutesHere` takes the params of `diddyMesh/whatRoutesHere` as its one
/// argument, in any of its forms (`request`, or `position` on a rule or a service).
enum ExecuteCommandHandler: RequestHandler {
    static let method = "workspace/executeCommand"

    /// The commands advertised in `executeCommandProvider`.
    static let commands = [WhatRoutesHere.command]

    static func handle(_ params: JSONValue?, context: RequestContext) async throws(ResponseError) -> JSONValue {
        let reader = try ParamsReader(params)
        let command = try reader.string("command")
        guard command == WhatRoutesHere.command else {
            throw .invalidParams(
                "unknown command '\(command)'; the server runs \(commands.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let arguments = try reader.optionalArray("arguments") ?? []
        guard arguments.count == 1, let argument = arguments.first else {
            throw .invalidParams(
                "\(reader.path).arguments must hold exactly one object: {textDocument, request} or {textDocument, "
                    + "position}"
            )
        }
        return try await WhatRoutesHere.answer(
            try ParamsReader(argument, path: "\(reader.path).arguments[0]"), context: context)
    }
}
