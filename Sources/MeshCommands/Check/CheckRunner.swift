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
    /// The files checked, kept so that the process can end without releasing them
    /// (``MeshCommandLine/endProcessIfWhole(_:keeping:)``).
    var files: [CheckedFile] = []

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
        /// `--ignore`: codes whose findings this run leaves out, as a `lint` setting of
        /// `"off"` would (never DM101 or DM104, ``DiagnosticCode/isConfigurable``).
        public var ignored: Set<DiagnosticCode> = []
        /// When set, the safe fixes are applied (or shown) before the findings are reported.
        public var fix: FixMode?
        public init() {}
    }

    /// Runs `check` on `paths`, adding the live checks when the options ask for them.
    public static func runWithLiveChecks(paths: [String], options: Options) async -> CheckRunner {
        var runner = CheckRunner()
        guard var checked = runner.checkFiles(paths, options: options) else { return runner }
        if let mode = options.fix {
            guard let fixed = runner.applyFixes(checked, mode: mode, ignoring: options.ignored) else { return runner }
            checked = fixed
        }
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
        guard var checked = runner.checkFiles(paths, options: options) else { return runner }
        if let mode = options.fix {
            guard let fixed = runner.applyFixes(checked, mode: mode, ignoring: options.ignored) else { return runner }
            checked = fixed
        }
        runner.finish(checked, options: options)
        return runner
    }

    /// Finds and checks the configs under `paths` (``ConfigDiscovery``); nil (with the
    /// error recorded) when discovery fails or finds nothing. Unreadable files are recorded
    /// and skipped.
    private mutating func checkFiles(_ paths: [String], options: Options) -> [CheckedFile]? {
        // Like ESLint, `--fix` refuses piped input: there is no file to write the fixes
        // back to, and writing to the `--stdin-filename` would change a file never read.
        if options.fix == .apply, paths.contains(ConfigDiscovery.standardInputPath) {
            errors = "error: check --fix cannot write fixes back to standard input; use --fix --dry-run for a diff\n"
            exitCode = 2
            return nil
        }
        let configs: [ConfigSource]
        switch ConfigDiscovery.discover(in: paths, stdinName: options.stdinName) {
        case .failure(let failure):
            errors = failure.report
            exitCode = 2
            return nil
        case .success(let found):
            configs = found.configs
            errors += ConfigDiscovery.noteLines(found.notes)
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
        files = checked
        let checked = options.ignored.isEmpty ? checked : checked.map { $0.leavingOut(options.ignored) }
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
