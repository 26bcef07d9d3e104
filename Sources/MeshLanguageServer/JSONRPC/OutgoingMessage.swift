import WireJSON

/// Builders of the messages the server sends.
enum OutgoingMessage {
    /// A successful response.
    static func response(id: RequestID, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "result": result]
    }

    /// An error response; the id is null when the request's id could not be read.
    static func error(id: RequestID?, _ error: ResponseError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
    }

    /// A request from the server to the client; `params` is left out when nil, since
    /// JSON-RPC allows only an object or an array there.
    static func request(id: RequestID, _ method: String, _ params: JSONValue? = nil) -> JSONValue {
        var message: JSONObject = ["jsonrpc": "2.0", "id": id.json, "method": .string(method)]
        if let params { message["params"] = params }
        return .object(message)
    }

    /// A notification.
    static func notification(_ method: String, _ params: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": params]
    }
}
