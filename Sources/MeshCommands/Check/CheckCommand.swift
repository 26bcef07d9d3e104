import ArgumentParser
import Foundation
import MeshConfig
import MeshRegistry
import MeshSyntax

/// `diddy-mesh check [PATH...]`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate mesh configs (files, folders searched for mesh configs, or - for standard input).",
        discussion:
            "Exit status: 0 when nothing is at or above --fail-on, 1 when something is, 2 on a usage error, an "
            + "unreadable file or when no config is found."
    )

    @Argument(
        help: ArgumentHelp("Configs to check. " + ConfigArgument.pathHelp, valueName: "path"), completion: .file())
    var paths: [String] = []

    @Option(
        name: .customLong("stdin-filename"), help: ArgumentHelp(ConfigArgument.stdinFilenameHelp, valueName: "name"))
    var stdinFilename: String?

    @Option(
        help: "Output format: text, json, sarif or github.", completion: .list(CheckFormat.allCases.map(\.rawValue)))
    var format: String = "text"

    @Option(
        name: .customLong("fail-on"), help: "The lowest severity that fails the check: error, warning or hint.",
        completion: .list(["error", "warning", "information", "hint"]))
    var failOn: String = "error"

    @Option(
        name: .customLong("ignore"),
        help: ArgumentHelp(
            "Leave out the findings of a diagnostic code in this run, as a lint setting of \"off\" would "
                + "(repeatable, or comma-separated; DM101 and DM104 cannot be left out).", valueName: "code"),
        completion: .list(DiagnosticCode.allCases.filter(\.isConfigurable).map(\.rawValue)))
    var ignore: [String] = []

    @Flag(help: "Also run the live checks against the registry (DM6xx).")
    var live = false

    @Flag(help: "Print only findings at or above --fail-on, with no summary line.")
    var quiet = false

    @Flag(
        help: ArgumentHelp(
            "Apply the safe fixes (trailing commas, rules that never match, unused suppressions) in place, "
                + "then report what is left."))
    var fix = false

    @Flag(
        name: .customLong("dry-run"),
        help: "With --fix: write nothing; print a unified diff of the fixes (exit 1 when there are some).")
    var dryRun = false

    @OptionGroup var registry: RegistryOptionGroup

    @OptionGroup var color: ColorOptionGroup

    func validate() throws {
        guard CheckFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)': use text, json, sarif or github")
        }
        guard Severity(name: failOn) != nil else {
            throw ValidationError("unknown severity '\(failOn)' for --fail-on: use error, warning or hint")
        }
        guard fix || !dryRun else { throw ValidationError("--dry-run goes with --fix") }
        _ = try ignoredCodes()
    }

    /// The codes of `--ignore`; a code that does not exist, or one that cannot be left out,
    /// is a usage error.
    private func ignoredCodes() throws -> Set<DiagnosticCode> {
        var codes: Set<DiagnosticCode> = []
        for name in ignore.flatMap({ $0.split(separator: ",") }) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let code = DiagnosticCode(rawValue: trimmed.uppercased()) else {
                throw ValidationError(
                    "unknown diagnostic code '\(trimmed)' for --ignore (docs/diagnostics.md lists them)")
            }
            guard code.isConfigurable else {
                throw ValidationError(
                    "\(code.rawValue) cannot be ignored: it means part of the file was not read, so every other "
                        + "finding would be incomplete")
            }
            codes.insert(code)
        }
        return codes
    }

    func run() async throws {
        var options = CheckRunner.Options()
        options.format = CheckFormat(rawValue: format) ?? .text
        options.failOn = Severity(name: failOn) ?? .error
        options.quiet = quiet
        options.ignored = try ignoredCodes()
        if fix { options.fix = dryRun ? .dryRun : .apply }
        options.color = color.colors
        options.stdinName = stdinFilename
        if live {
            let registry = self.registry
            options.live = { file in await LiveCheck.diagnostics(for: file, registry: registry) }
        }
        let result =
            live
            ? await CheckRunner.runWithLiveChecks(paths: paths, options: options)
            : CheckRunner.run(paths: paths, options: options)
        FileHandle.standardOutput.write(Data(result.output.utf8))
        FileHandle.standardError.write(Data(TerminalText.escape(result.errors, keepingLayout: true).utf8))
        MeshCommandLine.endProcessIfWhole(result.exitCode, keeping: result)
        throw ExitCode(result.exitCode)
    }
}

/// `check --live`: the DM6xx checks of one file against the registry its config names.
enum LiveCheck {
    static func diagnostics(for file: CheckedFile, registry: RegistryOptionGroup) async -> [Diagnostic] {
        // A file that is not text has no model to check against the registry.
        guard let document = file.document else { return [] }
        let anchor = document.config.mesh.registry?.range ?? ByteRange(start: 0, end: min(1, file.source.count))
        switch registry.reader(document: document, configPath: file.path) {
        case .failure(let error):
            return [Diagnostic(.registryUnavailable, "live checks skipped: \(error)", at: anchor)]
        case .success(let (reader, _)):
            return await LiveChecks.diagnostics(for: document, reader: reader, now: Date().timeIntervalSince1970)
        }
    }
}
