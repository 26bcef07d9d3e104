import WireJSON

/// Valid messages put in front of the fuzzed bytes, so that most inputs exercise the
/// dispatch of real methods on a real document rather than the lifecycle guard.
enum SessionPrefix: UInt8, Sendable {
    case none = 0
    case initialize = 1
    case initializeAndOpen = 2
    case initializeUTF8AndOpen = 3

    /// The URI of the sample document; seed inputs and the dictionary use it too.
    static let documentURI = "file:///diddy-mesh-fuzz/diddy-mesh.jsonc"

    /// A small config with a little of everything the features look at: services with
    /// endpoints, rules, a split, a default, comments, and several findings (an unknown
    /// service, a shadowed rule, an http endpoint, an unknown key).
    static let documentText = """
        // The sample the fuzz harness opens.
        {
          "$schema": "../schemas/diddy-mesh.schema.json",
          "version": 1,
          "mesh": { "name": "fuzz", "defaults": { "timeout": 2000 } },
          "services": {
            "api": { "endpoints": ["https://api.example.workers.dev"], "timout": 10 },
            "users": {
              "endpoints": [{ "url": "http://users.example.workers.dev", "region": "WEU" }],
              "loadBalancer": "geographic"
            },
            "canary": { "endpoints": ["https://canary.example.workers.dev"] }
          },
          "routing": {
            "rules": [
              { "name": "all", "path": "/api/*", "service": "api" },
              { "name": "users", "path": "/api/users/*", "methods": ["GET"], "service": "usres" },
              { "path": "/v2/*", "split": [{ "service": "api", "weight": 90 }, { "service": "canary", "weight": 10 }] }
            ],
            "default": "api"
          }
        }

        """

    /// The framed messages of this prefix.
    var bytes: [UInt8] {
        switch self {
        case .none:
            []
        case .initialize:
            Self.initialize(encoding: "utf-16") + Self.initialized
        case .initializeAndOpen:
            Self.initialize(encoding: "utf-16") + Self.initialized + Self.didOpen
        case .initializeUTF8AndOpen:
            Self.initialize(encoding: "utf-8") + Self.initialized + Self.didOpen
        }
    }

    private static func initialize(encoding: String) -> [UInt8] {
        frame(
            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"processId":null,"rootUri":null,"#
                + #""capabilities":{"general":{"positionEncodings":["\#(encoding)"]},"#
                + #""textDocument":{"hover":{"contentFormat":["markdown","plaintext"]}}}}}"#
        )
    }

    private static let initialized = frame(#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)

    private static var didOpen: [UInt8] {
        frame(
            #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(documentURI)","#
                + #""languageId":"jsonc","version":1,"text":\#(jsonString(documentText))}}}"#
        )
    }

    /// `Content-Length` framing of a body.
    static func frame(_ body: String) -> [UInt8] {
        frame(Array(body.utf8)[...])
    }

    /// `Content-Length` framing of body bytes.
    static func frame(_ body: ArraySlice<UInt8>) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        WireJSON.serialize(.string(text))
    }
}
