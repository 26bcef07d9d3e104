import ArgumentParser
import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax
import Synchronization

/// `diddy-mesh health`: the group of health commands (today only `probe`).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Probe endpoints and write their health records to the registry.",
        subcommands: [HealthProbeCommand.self]
    )
}

/// `diddy-mesh health probe [CONFIG] [--once] [--interval S]` (docs/guide/ci.md, docs/guide/registry.md, "The health
/// prober").
///
/// Prints one line per endpoint per round to stdout, tab-separated so scripts can cut it:
/// `service  endpoint  status  latency  circuit  [error]`, latency as `12.3ms` or `-` when
/// there was no answer. Problems (a registration that cannot be read, a record that cannot
/// be written) go to stderr. Exit status: 0 when every record of the last round was
/// written, 2 on bad input: an unreadable config, a registry that cannot be opened, or
/// (with `--once`) a record that could not be written.
struct HealthProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe every endpoint of every service and write health: records.",
        discussion: """
            Without --once, probes every --interval seconds (default: the shortest healthCheck.interval) until interrupted. \
            Exit status: 0 probed and written, 2 bad input or registry errors.
            """
    )

    @OptionGroup var config: ConfigArgument

    @Flag(help: "Probe one round, then exit.")
    var once = false

    @Option(help: "Seconds between rounds, overriding every service's healthCheck.interval (also sets the record TTL).")
    var interval: Double?

    @Option(help: "At most this many probes at once.")
    var concurrency: Int = ProbeOptions.defaultConcurrency

    @Option(help: "Stop after this many rounds (for scripts; --once is --rounds 1).")
    var rounds: Int?

    @OptionGroup var registry: RegistryOptionGroup

    func validate() throws {
        if let interval, !(interval.isFinite && interval > 0 && interval <= 86_400) {
            throw ValidationError("--interval takes a number of seconds greater than 0 (at most 86400)")
        }
        guard concurrency >= 1, concurrency <= 1_024 else {
            throw ValidationError("--concurrency takes a number from 1 to 1024")
        }
        if let rounds, rounds < 1 { throw ValidationError("--rounds takes a number of at least 1") }
    }

    func run() async throws {
        let loaded = try config.load(command: "health probe")
        let document = loaded.document
        if let warning = loaded.errorsWarning("probing") { Output.error(warning) }
        let resolved: ResolvedRegistry
        switch registry.open(document: document, configPath: loaded.source.registryPath) {
        case .success(let registry): resolved = registry
        case .failure(let error): throw Self.badInput("error: \(error)")
        }

        let options = ProbeOptions(
            concurrency: concurrency, intervalOverrideMs: interval.map { Int(($0 * 1000).rounded()) })
        let prober = HealthProber(config: document.config, store: resolved.store, options: options)
        let limit = once ? 1 : rounds
        let counter = RoundCounter()
        await prober.run { round in
            ProbeOutput.report(round)
            let count = counter.next(failedWrites: round.results.contains { $0.writeError != nil })
            return limit.map { count >= $0 } ?? false
        }
        if counter.lastRoundFailedWrites, once || rounds != nil {
            throw Self.badInput("error: some health records could not be written to \(resolved.description)")
        }
    }
}

extension HealthProbeCommand {
    /// Prints `message` to stderr and returns exit status 2 (docs/guide/ci.md: bad input), thrown as
    /// `ExitCode` so the message is printed as written, without ArgumentParser's prefix.
    static func badInput(_ message: String) -> ExitCode {
        Output.error(message)
        return ExitCode(2)
    }
}

/// Lines for people and scripts.
enum ProbeOutput {
    /// One line per endpoint, then the round's problems on stderr.
    static func report(_ round: ProbeRound) {
        var text = ""
        for result in round.results {
            text += line(result) + "\n"
        }
        Output.write(text)
        for problem in round.problems {
            Output.error("warning: \(problem)")
        }
        for result in round.results {
            if let writeError = result.writeError { Output.error("error: \(result.key): \(writeError)") }
        }
        if round.results.isEmpty {
            Output.error("warning: no endpoints to probe (no service lists endpoints and none is registered)")
        }
    }

    /// `service  endpoint  status  latency  circuit  [kind: message]`, tab-separated.
    static func line(_ result: ProbeResult) -> String {
        let latency = result.latencyMs.map { String(format: "%.1fms", $0) } ?? "-"
        var fields = [result.service, result.endpointId, result.status.rawValue, latency, result.circuit.rawValue]
        if let failure = result.failure {
            fields.append("\(failure.kind.rawValue): \(failure.message)")
        }
        return fields.joined(separator: "\t")
    }
}

/// Rounds run so far and whether the last one failed to write, shared with the
/// prober's `until` callback.
private final class RoundCounter: Sendable {
    private let state = Mutex((count: 0, failed: false))

    func next(failedWrites: Bool) -> Int {
        state.withLock { state in
            state.count += 1
            state.failed = failedWrites
            return state.count
        }
    }

    var lastRoundFailedWrites: Bool { state.withLock { $0.failed } }
}
