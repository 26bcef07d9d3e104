import MeshLanguageServer
import Synchronization
import WireJSON

/// A message sink that records what the language server sends, for in-memory sessions.
public final class RecordingSink: MessageSink {
    private let messages = Mutex<[JSONValue]>([])

    public init() {}

    public func send(_ message: JSONValue) {
        messages.withLock { $0.append(message) }
    }

    /// Everything sent so far, in order.
    public var recorded: [JSONValue] { messages.withLock { $0 } }
}
