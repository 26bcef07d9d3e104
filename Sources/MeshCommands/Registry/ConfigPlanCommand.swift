import ArgumentParser
import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax

/// `diddy-mesh config plan`: the route plan the edge router loads (docs/edge.md, "The
/// route plan"), the same bytes `config push` stores in `mesh:plan`.
struct ConfigPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compile the config into the route plan the edge router loads.",
        discussion: """
            Writes the plan to --output, or to standard output when that is not a terminal. \
            The plan holds the config's routing part and what `diddy-mesh check` found in it; \
            the edge router refuses to route with a plan that has errors. Exit status: 0 \
            written (errors or not), 2 when the config cannot be read or the output written.
            """
    )

    @OptionGroup var config: ConfigArgument

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the plan to this file.", valueName: "file"))
    var output: String?

    func run() throws {
        let loaded = try config.load(command: "config plan")
        let compiled = CompiledPlan(loaded)
        if let line = ConfigLoader.errorsWarning(loaded.source.displayPath, errors: compiled.plan.errors, "planning") {
            Output.error(line)
        }
        guard let output else {
            guard isatty(STDOUT_FILENO) == 0 else {
                Output.error("error: the plan is binary; write it to a file with --output FILE or pipe it on")
                throw ExitCode(2)
            }
            Output.write(bytes: compiled.bytes)
            return
        }
        do {
            try Data(compiled.bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            Output.error("error: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}

/// A config's route plan, compiled with `check`'s analysis: what `config plan` writes,
/// `config push` stores and `route --engine wasm` loads into the module.
struct CompiledPlan {
    let plan: RoutePlan
    let bytes: [UInt8]

    /// The plan of `config`'s bytes, read as the file `path` names (its extension picks the
    /// dialect).
    init(config: [UInt8], path: String) {
        self.init(ConfigAnalysis(SourceText(bytes: config), path: path, runner: ThreadPairRunner()))
    }

    /// The plan of a loaded config, whose analysis is finished rather than done again.
    init(_ loaded: ConfigLoader.Loaded) {
        self.init(ConfigAnalysis(document: loaded.document))
    }

    private init(_ analysis: ConfigAnalysis) {
        plan = RoutePlan(analysis: analysis, configSHA256: MeshConfigRecord.digest(of: analysis.source.bytes))
        bytes = plan.encoded()
    }
}
