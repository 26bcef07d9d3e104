import Foundation
import WireJSON

/// Log lines: to standard error and to the client as `window/logMessage`, never to stdout.
struct ServerLog: Sendable {
    let sink: any MessageSink
    let toStandardError: Bool

    /// Logs `text` at `type`.
    func callAsFunction(_ type: LSP.MessageType, _ text: String) {
        if toStandardError {
            let line = Array("diddy-mesh lsp: \(text)\n".utf8)
            line.withUnsafeBytes { _ = Foundation.write(2, $0.baseAddress, $0.count) }
        }
        sink.send(
            OutgoingMessage.notification("window/logMessage", ["type": .int(type.rawValue), "message": .string(text)]))
    }
}
