import ArgumentParser
import Foundation

/// `--color auto|always|never` for the commands that print colored text; a command adds
/// it with `@OptionGroup var color: ColorOptionGroup` and asks ``colors``.
struct ColorOptionGroup: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "When to color the output: auto (on a terminal, unless NO_COLOR is set), always or never.",
            valueName: "when"))
    var color: ColorChoice = .auto

    /// Whether this run colors what it writes to standard output.
    var colors: Bool {
        color.colors(isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
    }
}
