import ArgumentParser
import Foundation
import MeshSyntax

/// `diddy-mesh check [PATH...]`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate mesh configs (files or directories searched for mesh configs).",
        discussion: "Exit status: 0 when nothing is at or above --fail-on, 1 when something is, 2 on a usage error, an unreadable file or when no config is found."
    )

    @Argument(help: "Config files or directories to search (default: the current directory).")
    var paths: [String] = []

    @Option(help: "Output format: text, json, sarif or github.")
    var format: String = "text"

    @Option(name: .customLong("fail-on"), help: "The lowest severity that fails the check: error, warning or hint.")
    var failOn: String = "error"

    @Flag(help: "Also run the live checks against the registry (DM6xx).")
    var live = false

    @Flag(help: "Print only findings at or above --fail-on, with no summary line.")
    var quiet = false

    func validate() throws {
        guard CheckFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)': use text, json, sarif or github")
        }
        guard Severity(name: failOn) != nil else {
            throw ValidationError("unknown severity '\(failOn)' for --fail-on: use error, warning or hint")
        }
    }

    func run() throws {
        var options = CheckRunner.Options()
        options.format = CheckFormat(rawValue: format) ?? .text
        options.failOn = Severity(name: failOn) ?? .error
        options.quiet = quiet
        options.color = Terminal.supportsColor
        if live {
            FileHandle.standardError.write(Data("note: --live checks need the registry, which this build does not include yet; running the static checks only\n".utf8))
        }
        let result = CheckRunner.run(paths: paths, options: options)
        FileHandle.standardOutput.write(Data(result.output.utf8))
        FileHandle.standardError.write(Data(result.errors.utf8))
        throw ExitCode(result.exitCode)
    }
}

/// Facts about the terminal the command writes to.
enum Terminal {
    /// Colors only on a terminal, and never when `NO_COLOR` is set (no-color.org).
    static var supportsColor: Bool {
        isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
