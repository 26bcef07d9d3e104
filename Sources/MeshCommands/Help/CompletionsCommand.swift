import ArgumentParser

/// `diddy-mesh completions bash|zsh|fish`: prints the shell completion script that the
/// argument parser generates from the commands' own definitions, the same text as
/// `--generate-completion-script SHELL` under a name that is easy to find in `--help`
/// (docs/guide/install.md, "Shell completions").
struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            The script completes subcommands, options, the values of options that take one of a \
            list (formats, severities, --color, --registry) and file names. \
            docs/guide/install.md shows where each shell looks for it.
            """
    )

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: Shell

    /// The shells the argument parser writes scripts for.
    enum Shell: String, CaseIterable, ExpressibleByArgument {
        case bash, zsh, fish

        var completionShell: CompletionShell {
            switch self {
            case .bash: .bash
            case .zsh: .zsh
            case .fish: .fish
            }
        }
    }

    func run() {
        print(DiddyMeshCommand.completionScript(for: shell.completionShell))
    }
}
