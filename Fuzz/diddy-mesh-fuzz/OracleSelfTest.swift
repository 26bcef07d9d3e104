import WireJSON

/// Shows that ``OutgoingMessageCheck`` can fail: known-bad messages must each be rejected
/// for the stated reason, and known-good ones accepted (`diddy-mesh-fuzz --self-test`, run
/// by the e2e tests, since no input makes the real server write a bad message today).
enum OracleSelfTest {
    /// A message and the words its violation must contain, or nil when it is well formed.
    static let cases: [(message: String, violation: String?)] = [
        (#"{"jsonrpc":"2.0","id":1,"result":null}"#, nil),
        (#"{"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"unknown method"}}"#, nil),
        (#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#, nil),
        (
            #"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a","#
                + #""diagnostics":[{"range":{"start":{"line":0,"character":1},"end":{"line":0,"character":4}},"#
                + #""message":"m"}]}}"#,
            nil
        ),
        (#"[1]"#, "must be an object"),
        (#"{"id":1,"result":null}"#, "'jsonrpc' must be"),
        (#"{"jsonrpc":"2.0","id":1}"#, "exactly one of"),
        (#"{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}}"#, "exactly one of"),
        (#"{"jsonrpc":"2.0","id":null,"result":1}"#, "null id"),
        (#"{"jsonrpc":"2.0","id":1.5,"result":1}"#, "response id"),
        (#"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#, "error.code"),
        (#"{"jsonrpc":"2.0","id":1,"error":{"code":1}}"#, "error.message"),
        (#"{"jsonrpc":"2.0","method":"","params":{}}"#, "non-empty string"),
        (#"{"jsonrpc":"2.0","method":"x","params":3}"#, "'params' must be"),
        (#"{"jsonrpc":"2.0","method":"x","params":{},"extra":1}"#, "unexpected member"),
        (#"{"jsonrpc":"2.0","id":1,"result":{"line":-1,"character":0}}"#, "negative"),
        (
            #"{"jsonrpc":"2.0","id":1,"result":[{"range":{"start":{"line":2,"character":0},"end":{"line":1,"#
                + #""character":9}}}]}"#,
            "ends (1:9) before it starts (2:0)"
        ),
    ]

    /// Runs the cases; returns the failures, one line each.
    static func run() -> [String] {
        var failures: [String] = []
        for (text, expected) in cases {
            guard case .success(let message) = WireJSON.parse(text) else {
                failures.append("the case does not parse: \(text)")
                continue
            }
            let violation = OutgoingMessageCheck.violation(in: message)
            switch (expected, violation) {
            case (nil, nil):
                break
            case (nil, .some(let found)):
                failures.append("a well-formed message was rejected (\(found))")
            case (.some(let words), nil):
                failures.append("a malformed message was accepted (expected '\(words)'): \(text)")
            case (.some(let words), .some(let found)):
                if !found.contains(words) { failures.append("rejected for another reason than '\(words)': \(found)") }
            }
        }
        return failures
    }
}
