import WireJSON

/// One message from the client, classified by JSON-RPC 2.0's rules.
enum IncomingMessage: Sendable, Equatable {
    /// A request: it gets exactly one response.
    case request(id: RequestID, method: String, params: JSONValue?)
    /// A notification: it gets no response.
    case notification(method: String, params: JSONValue?)
    /// A response to a request the server sent.
    case response(id: RequestID?)
}

/// A message that cannot be handled, with the error to answer it with.
struct InvalidMessage: Error, Sendable, Equatable {
    /// The id, when the message had a valid one (the error answers that request).
    var id: RequestID?
    /// The error to send back.
    var error: ResponseError
}

extension IncomingMessage {
    /// Classifies a message body.
    ///
    /// - Malformed JSON is `-32700` with a null id.
    /// - Anything that is not a JSON-RPC 2.0 object, an id that is null or not an integer
    ///   or string, and a non-string method are `-32600`.
    /// - `params` that are neither an object nor an array are `-32602`.
    static func parse(_ body: [UInt8]) -> Result<IncomingMessage, InvalidMessage> {
        let value: JSONValue
        switch WireJSON.parse(body, strict: true, maxDepth: 512) {
        case .success(let parsed): value = parsed
        case .failure(let error):
            return .failure(InvalidMessage(id: nil, error: .parseError("malformed JSON: \(error)")))
        }
        guard let object = value.objectValue else {
            return .failure(
                InvalidMessage(
                    id: nil, error: .invalidRequest("a message must be a JSON object (batches are not used by LSP)")))
        }
        let rawID = object["id"]
        let id = rawID.flatMap(RequestID.init)
        if let rawID, id == nil {
            return .failure(
                InvalidMessage(
                    id: nil, error: .invalidRequest("the id must be an integer or a string, not \(kindName(rawID))")))
        }
        guard object["jsonrpc"] == .string("2.0") else {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("'jsonrpc' must be \"2.0\"")))
        }
        guard let rawMethod = object["method"] else {
            if object["result"] != nil || object["error"] != nil { return .success(.response(id: id)) }
            return .failure(
                InvalidMessage(
                    id: id,
                    error: .invalidRequest("a message needs a 'method' (or a 'result' or 'error' for a response)")))
        }
        guard let method = rawMethod.stringValue else {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("'method' must be a string")))
        }
        let params = object["params"]
        if let params, params.objectValue == nil, params.arrayValue == nil, !params.isNull {
            return .failure(InvalidMessage(id: id, error: .invalidParams("'params' must be an object or an array")))
        }
        if let id { return .success(.request(id: id, method: method, params: params)) }
        return .success(.notification(method: method, params: params))
    }

    static func kindName(_ value: JSONValue) -> String {
        value.kindDescription
    }
}
