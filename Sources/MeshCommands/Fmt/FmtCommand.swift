import ArgumentParser
import Foundation

/// `diddy-mesh fmt [PATH...] [--check]`.
struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format mesh configs as the editor does, keeping every comment.",
        discussion:
            "Exit status: 0 formatted (with --check: already formatted), 1 with --check when a file is not "
            + "formatted, 2 when a file cannot be read, parsed or written."
    )

    @Argument(
        help: ArgumentHelp(
            "Configs to format. " + ConfigArgument.pathHelp + " Standard input is written formatted to standard "
                + "output.", valueName: "path"), completion: .file())
    var paths: [String] = []

    @Option(
        name: .customLong("stdin-filename"), help: ArgumentHelp(ConfigArgument.stdinFilenameHelp, valueName: "name"))
    var stdinFilename: String?

    @Flag(help: "Write nothing; print a unified diff of each file that is not formatted and exit 1.")
    var check = false

    func run() throws {
        let result = FmtRunner.run(paths: paths, check: check, stdinName: stdinFilename)
        if check {
            // Diffs quote the config's text: escaped like every other text from a config.
            FileHandle.standardOutput.write(Data(TerminalText.escape(result.output, keepingLayout: true).utf8))
        } else {
            // Without --check, the output is standard input formatted: the user's own bytes,
            // written as they are (like `kv get`) so `fmt - < a > b` keeps every comment intact.
            FileHandle.standardOutput.write(Data(result.output.utf8))
        }
        FileHandle.standardError.write(Data(TerminalText.escape(result.errors, keepingLayout: true).utf8))
        throw ExitCode(result.exitCode)
    }
}
