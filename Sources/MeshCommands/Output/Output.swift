import Foundation

/// Writes to the standard streams from async commands. Text passes through
/// ``TerminalText`` (keys, names and messages come from configs and registries); the raw
/// bytes of `kv get` are the value the user asked for and are written as they are.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(TerminalText.escape(text, keepingLayout: true).utf8))
    }

    static func write(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func error(_ text: String) {
        let line = TerminalText.escape(text, keepingLayout: true)
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
}
