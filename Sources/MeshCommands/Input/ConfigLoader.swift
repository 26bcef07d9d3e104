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
            ConfigLoader.errorsWarning(
                source.displayPath, errors: document.diagnostics.filter { $0.severity == .error }.count, doing)
        }
    }

    /// The stderr line of a command that goes on with the config at `path` although it has
    /// `errors` errors, or nil when it has none; `route --engine wasm` counts them from the
    /// edge router's report, the others from their own analysis.
    static func errorsWarning(_ path: String, errors count: Int, _ doing: String) -> String? {
        guard count > 0 else { return nil }
        return "warning: \(path) has \(count) error\(count == 1 ? "" : "s") (see diddy-mesh check); "
            + "\(doing) the parts that parse\n"
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
        read(source).map { MeshDocument.analyze(SourceText(bytes: $0), path: source.displayPath) }
    }

    /// The bytes of `source`, refused when they look binary: what ``load(_:)`` analyses, and
    /// what `route --engine wasm` hands to the edge router instead.
    static func read(_ source: ConfigSource) -> Result<[UInt8], FileReader.Failure> {
        source.read().flatMap { bytes in
            ConfigAnalysis.looksBinary(bytes)
                ? .failure(
                    FileReader.Failure(message: "'\(source.displayPath)' is a binary file, not a JSON mesh config"))
                : .success(bytes)
        }
    }
}
