import MeshLanguageServer
import Synchronization
import WireJSON

/// A message sink that holds every outgoing message to ``OutgoingMessageCheck`` and keeps
/// the first violation, so that one run reports the message that went wrong first.
/// With `echo`, it also prints every message as it arrives (the replay runner's `--print`).
final class ValidatingSink: MessageSink {
    private let state = Mutex<(count: Int, violation: String?)>((0, nil))
    private let echo: Bool

    init(echo: Bool = false) {
        self.echo = echo
    }

    func send(_ message: JSONValue) {
        let problem = OutgoingMessageCheck.violation(in: message)
        state.withLock { state in
            state.count += 1
            if echo { print("  <- \(WireJSON.serialize(message))") }
            if state.violation == nil, let problem {
                state.violation = "message #\(state.count): \(problem)"
            }
        }
    }

    /// How many messages the server sent.
    var messageCount: Int { state.withLock { $0.count } }

    /// The first violation, or nil when every message was well formed.
    var violation: String? { state.withLock { $0.violation } }
}
