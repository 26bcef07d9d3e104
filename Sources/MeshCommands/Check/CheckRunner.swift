import Foundation
import MeshRegistry
import MeshSyntax

/// The output formats of `check`.
public enum CheckFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github
}

/// What `check` prints and how it exits, separate from argument parsing so tests can
/// run it in-process.
public struct CheckRunner: Sendable {
    /// Bytes for standard output.
    public var output = ""
    /// Bytes for standard error.
    public var errors = ""
    /// The exit status: 0 clean, 1 findings at or above `--fail-on`, 2 unusable input.
    public var exitCode: Int32 = 0

    /// The options of `check`.
    public struct Options: Sendable {
        public var format: CheckFormat = .text
        public var failOn: Severity = .error
        public var quiet = false
        public var color = false
        /// `--stdin-filename`: the name standard input (`-`) goes by in messages.
        public var stdinName: String?
        /// When set, the live checks (DM6xx) to add to each file's findings.
        public var live: (@Sendable (CheckedFile) async -> [Diagnostic])?
        public init() {}
    }

    /// Runs `check` on `paths`, adding the live checks when the options ask for them.
    public static func runWithLiveChecks(paths: [String], options: Options) async -> CheckRunner {
        var runner = CheckRunner()
        guard var checked = runner.checkFiles(paths, stdinName: options.stdinName) else { return runner }
        if let live = options.live {
            for index in checked.indices {
                checked[index] = checked[index].adding(await live(checked[index]))
            }
        }
        runner.finish(checked, options: options)
        return runner
    }

    /// Runs the static `check` on `paths` (a search from the current folder when empty).
    public static func run(paths: [String], options: Options) -> CheckRunner {
        var runner = CheckRunner()
        guard let checked = runner.checkFiles(paths, stdinName: options.stdinName) else { return runner }
        runner.finish(checked, options: options)
        return runner
    }

    /// Finds and checks the configs under `paths` (``ConfigDiscovery``); nil (with the
    /// error recorded) when discovery fails or finds nothing. Unreadable files are recorded
    /// and skipped.
    private mutating func checkFiles(_ paths: [String], stdinName: String?) -> [CheckedFile]? {
        let configs: [ConfigSource]
        switch ConfigDiscovery.discover(in: paths, stdinName: stdinName) {
        case .failure(let failure):
            errors = failure.report
            exitCode = 2
            return nil
        case .success(let found):
            configs = found.configs
            errors += found.notes.map { "note: \($0)\n" }.joined()
        }
        var checked: [CheckedFile] = []
        for config in configs {
            switch config.read() {
            case .success(let bytes):
                checked.append(CheckedFile.check(path: config.displayPath, bytes: bytes))
            case .failure(let failure):
                errors += "error: \(failure.message)\n"
                exitCode = 2
            }
        }
        return checked
    }

    /// Renders the findings and sets the exit status, unless a file could not be read.
    private mutating func finish(_ checked: [CheckedFile], options: Options) {
        output = Self.render(checked, options: options)
        if exitCode == 0 {
            exitCode = checked.flatMap(\.diagnostics).contains { $0.severity >= options.failOn } ? 1 : 0
        }
    }

    static func render(_ files: [CheckedFile], options: Options) -> String {
        switch options.format {
        case .text:
            let formatter = TextFormatter(color: options.color)
            if options.quiet {
                return formatter.format(files, minimumSeverity: options.failOn, summary: false)
            }
            return formatter.format(files)
        case .json: return JSONFormatter.format(files)
        case .sarif: return SARIFFormatter.format(files)
        case .github: return GitHubFormatter.format(files)
        }
    }
}
