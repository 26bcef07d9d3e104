import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax

/// Reads and analyses one config for the commands that use its model (`route`,
/// `health probe`, `config`, `kv`).
public enum ConfigLoader {
    /// A config found, read and analysed.
    public struct Loaded: Sendable {
        /// Where it came from; its ``ConfigSource/displayPath`` names it in messages.
        public let source: ConfigSource
        /// The analysed document.
        public let document: MeshDocument
        /// What the search passed over on purpose (``ConfigDiscovery/Found/notes``).
        public let notes: [String]

        /// The stderr line of a command that goes on with a config that has errors
        /// (`doing`: "routing", "probing"), or nil when it has none.
        public func errorsWarning(_ doing: String) -> String? {
            let count = document.diagnostics.filter { $0.severity == .error }.count
            guard count > 0 else { return nil }
            return "warning: \(source.displayPath) has \(count) error\(count == 1 ? "" : "s") (see diddy-mesh check); "
                + "\(doing) the parts that parse\n"
        }
    }

    /// The one config `path` names (a file, a folder holding exactly one, `-`) or, when nil,
    /// the one the search from the current folder finds (``ConfigDiscovery``); `command`
    /// names the command in the message when several are found.
    public static func loadSingle(_ path: String?, stdinName: String?, command: String) -> Result<
        Loaded, ConfigDiscovery.Failure
    > {
        switch ConfigDiscovery.single(in: path.map { [$0] } ?? [], stdinName: stdinName, command: command) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let found):
            return load(found.config)
                .map { Loaded(source: found.config, document: $0, notes: found.notes) }
                .mapError { ConfigDiscovery.Failure(message: $0.message, notes: found.notes) }
        }
    }

    /// The analysed document at `path`, or a message saying why it cannot be read.
    public static func load(_ path: String) -> Result<MeshDocument, FileReader.Failure> {
        load(.file(path, links: .follow))
    }

    /// The analysed document of `source`, or a message saying why it cannot be read.
    public static func load(_ source: ConfigSource) -> Result<MeshDocument, FileReader.Failure> {
        switch source.read() {
        case .success(let bytes):
            if ConfigAnalysis.looksBinary(bytes) {
                return .failure(
                    FileReader.Failure(message: "'\(source.displayPath)' is a binary file, not a JSON mesh config"))
            }
            return .success(MeshDocument.analyze(SourceText(bytes: bytes), path: source.displayPath))
        case .failure(let failure):
            return .failure(failure)
        }
    }
}
