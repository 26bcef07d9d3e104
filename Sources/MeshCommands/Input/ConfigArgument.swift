import ArgumentParser

/// The config argument of the commands that read exactly one config (`route`,
/// `health probe`, `config push|diff`): the forms of ``ConfigDiscovery``.
struct ConfigArgument: ParsableArguments {
    /// The help of a config path, shared with `check`'s paths.
    static let pathHelp =
        "A file, a folder, or - for standard input (default: search the current folder, then each folder above it "
        + "up to the repository root)."
    /// The help of `--stdin-filename`, shared with `check`.
    static let stdinFilenameHelp =
        "With -: the file name standard input stands for, in messages and positions (and where the wrangler config "
        + "is searched from)."

    @Argument(help: ArgumentHelp("The mesh config. " + pathHelp, valueName: "config"), completion: .meshConfig)
    var config: String?

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp(stdinFilenameHelp, valueName: "name"))
    var stdinFilename: String?

    /// Finds, reads and analyses the one config, printing the search's notes to stderr;
    /// exits 2 with the reason when there is no single readable config (`command` names
    /// the command in the message when several are found).
    func load(command: String) throws -> ConfigLoader.Loaded {
        try Self.loaded(ConfigLoader.loadSingle(config, stdinName: stdinFilename, command: command))
    }

    /// The loaded config, its search's notes printed to stderr; or the reason printed and
    /// exit status 2 (also for `kv --config`, which loads its config itself).
    static func loaded(_ result: Result<ConfigLoader.Loaded, ConfigDiscovery.Failure>) throws -> ConfigLoader.Loaded {
        switch result {
        case .success(let loaded):
            for note in loaded.notes { Output.error("note: \(note)") }
            return loaded
        case .failure(let failure):
            Output.error(failure.report)
            throw ExitCode(2)
        }
    }
}
