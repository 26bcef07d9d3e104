import Foundation
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
        /// When set, the live checks (DM6xx) to add to each file's findings.
        public var live: (@Sendable (CheckedFile) async -> [Diagnostic])?
        public init() {}
    }

    /// Runs `check` on `paths`, adding the live checks when the options ask for them.
    public static func runWithLiveChecks(paths: [String], options: Options) async -> CheckRunner {
        guard let live = options.live else { return run(paths: paths, options: options) }
        var staticOptions = options
        staticOptions.live = nil
        var runner = CheckRunner()
        let searched = paths.isEmpty ? ["."] : paths
        guard case .success(let files) = ConfigDiscovery.configFiles(in: searched), !files.isEmpty else {
            return run(paths: paths, options: staticOptions)
        }
        var checked: [CheckedFile] = []
        for path in files {
            switch FileReader.read(path) {
            case .success(let bytes):
                let file = CheckedFile.check(path: path, bytes: bytes)
                let extra = await live(file)
                checked.append(CheckedFile(path: file.path, source: file.source, diagnostics: (file.diagnostics + extra).sortedForOutput()))
            case .failure(let failure):
                runner.errors += "error: \(failure.message)\n"
                runner.exitCode = 2
            }
        }
        runner.output = render(checked, options: options)
        if runner.exitCode == 0 {
            runner.exitCode = checked.flatMap(\.diagnostics).contains { $0.severity >= options.failOn } ? 1 : 0
        }
        return runner
    }

    /// Runs the static `check` on `paths` (the current directory when empty).
    public static func run(paths: [String], options: Options) -> CheckRunner {
        var runner = CheckRunner()
        let searched = paths.isEmpty ? ["."] : paths
        let files: [String]
        switch ConfigDiscovery.configFiles(in: searched) {
        case .failure(let failure):
            runner.errors = "error: \(failure.message)\n"
            runner.exitCode = 2
            return runner
        case .success(let found):
            files = found
        }
        guard !files.isEmpty else {
            runner.errors = "error: no mesh config found in \(searched.joined(separator: ", ")) (looked for diddy-mesh.json(c), *.mesh.json(c) and JSON files whose $schema is diddy-mesh.schema.json)\n"
            runner.exitCode = 2
            return runner
        }
        var checked: [CheckedFile] = []
        for path in files {
            switch FileReader.read(path) {
            case .success(let bytes):
                checked.append(CheckedFile.check(path: path, bytes: bytes))
            case .failure(let failure):
                runner.errors += "error: \(failure.message)\n"
                runner.exitCode = 2
            }
        }
        runner.output = render(checked, options: options)
        if runner.exitCode == 0 {
            let failing = checked.flatMap(\.diagnostics).contains { $0.severity >= options.failOn }
            runner.exitCode = failing ? 1 : 0
        }
        return runner
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

/// Reads files for the commands, with messages a user can act on.
public enum FileReader {
    /// The largest file read (configs are far smaller; this bounds memory on a mistake).
    public static let maximumSize = 256 * 1024 * 1024

    /// Why a file could not be read.
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// The bytes of `path`.
    public static func read(_ path: String) -> Result<[UInt8], Failure> {
        let manager = FileManager.default
        guard manager.isReadableFile(atPath: path) else {
            return .failure(Failure(message: "cannot read '\(path)': permission denied or no such file"))
        }
        if let attributes = try? manager.attributesOfItem(atPath: path), let size = attributes[.size] as? Int, size > maximumSize {
            return .failure(Failure(message: "cannot read '\(path)': it is \(size / 1_048_576) MB, more than the \(maximumSize / 1_048_576) MB limit"))
        }
        guard let data = manager.contents(atPath: path) else {
            return .failure(Failure(message: "cannot read '\(path)'"))
        }
        return .success([UInt8](data))
    }
}
