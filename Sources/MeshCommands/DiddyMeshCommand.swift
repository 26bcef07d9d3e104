import ArgumentParser
import Foundation
import Synchronization

/// The `diddy-mesh` command.
public struct DiddyMeshCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "diddy-mesh",
        abstract: "Tooling for Diddy-Mesh service-mesh configs on Cloudflare Workers.",
        usage: """
            diddy-mesh <subcommand>
            diddy-mesh --check [<paths> ...] [<check options>]
            """,
        version: DiddyMeshVersion.description,
        subcommands: [
            InitCommand.self, CheckCommand.self, FmtCommand.self, RouteCommand.self, KVCommand.self,
            ConfigCommand.self, HealthCommand.self, LSPCommand.self, SchemaCommand.self, CompletionsCommand.self,
            ManualCommand.self,
        ]
    )

    /// Declared so that `--help`, the completions and the manual page show the `--check`
    /// form; it is never set, because ``MeshCommandLine/rewriteCheckFlag(_:)`` turns
    /// `--check` into the `check` subcommand before parsing.
    @Flag(
        name: .customLong("check"),
        help: "Check mesh configs: 'diddy-mesh --check [PATH...]' is 'diddy-mesh check [PATH...]', with its options.")
    var checkForm = false

    public init() {}
}

/// The process entry point: parses arguments, runs the command and maps every failure to
/// the exit codes of docs/guide/ci.md (2 for usage errors, never ArgumentParser's 64).
public enum MeshCommandLine {
    /// The names of the subcommands, to tell `--check` apart from a subcommand's options.
    static let subcommandNames: Set<String> = [
        "init", "check", "fmt", "route", "kv", "config", "health", "lsp", "schema", "completions", "man", "help",
    ]

    /// Whether this run is the whole process (the `diddy-mesh` executable), not a test
    /// running commands in-process: a command may then end the process as soon as its
    /// output is written (``endProcessIfWhole(_:keeping:)``).
    private static let isWholeProcess = Atomic<Bool>(false)

    /// Runs the command line as the whole process and exits with its status.
    public static func runAsProcess(_ arguments: [String]) async -> Never {
        isWholeProcess.store(true, ordering: .relaxed)
        exit(await main(arguments))
    }

    /// Exits with `status` right away when this run is the whole process, with `results`
    /// still alive: the kernel takes back the memory of a finished `check` at once,
    /// where releasing the syntax tree, the model and the findings object by object took
    /// a few milliseconds of a 2 MB config's 50. In a test it returns, and the caller
    /// goes on as usual.
    static func endProcessIfWhole<Kept>(_ status: Int32, keeping results: Kept) {
        guard isWholeProcess.load(ordering: .relaxed) else { return }
        withExtendedLifetime(results) { exit(status) }
    }

    /// Runs the command line and returns the exit status. Commands that talk to the
    /// registry or the network are async; the others run synchronously.
    public static func main(_ arguments: [String]) async -> Int32 {
        let rewritten = rewriteCheckFlag(arguments)
        let (withoutFmtCheck, fmtCheck) = takeFmtCheckFlag(rewritten)
        do {
            var command = try DiddyMeshCommand.parseAsRoot(withoutFmtCheck)
            if fmtCheck, var fmt = command as? FmtCommand {
                fmt.check = true
                command = fmt
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = DiddyMeshCommand.exitCode(for: error)
            let message = DiddyMeshCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            FileHandle.standardError.write(Data((TerminalText.escape(message, keepingLayout: true) + "\n").utf8))
            return 2
        }
    }

    /// `fmt --check` without its `--check`, and whether it had one. The root command
    /// declares `--check` (the `diddy-mesh --check` form) and the argument parser gives a
    /// parent's flag precedence wherever it appears, so `fmt` takes its own flag here.
    static func takeFmtCheckFlag(_ arguments: [String]) -> ([String], Bool) {
        guard let subcommand = arguments.firstIndex(where: { subcommandNames.contains($0) }),
            arguments[subcommand] == "fmt"
        else { return (arguments, false) }
        let after = arguments[(subcommand + 1)...]
        let end = after.firstIndex(of: "--") ?? arguments.endIndex
        guard arguments[subcommand..<end].contains("--check") else { return (arguments, false) }
        var result = Array(arguments[..<subcommand])
        result += arguments[subcommand..<end].filter { $0 != "--check" }
        result += arguments[end...]
        return (result, true)
    }

    /// `diddy-mesh --check PATH...` is `diddy-mesh check PATH...` (the form editors and
    /// scripts call); the flag is accepted anywhere before a subcommand name.
    static func rewriteCheckFlag(_ arguments: [String]) -> [String] {
        guard let index = arguments.firstIndex(of: "--check") else { return arguments }
        if arguments[..<index].contains(where: { subcommandNames.contains($0) }) { return arguments }
        var result = arguments
        result.remove(at: index)
        return ["check"] + result
    }
}
