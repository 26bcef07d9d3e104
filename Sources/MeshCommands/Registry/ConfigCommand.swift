import ArgumentParser
import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax

/// `diddy-mesh config push|diff|plan`: the deployed config under `mesh:config`, and its route
/// plan under `mesh:plan`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Deploy the config to the registry, or show how the file differs from the deployed one.",
        subcommands: [ConfigPushCommand.self, ConfigDiffCommand.self, ConfigPlanCommand.self]
    )
}

/// Reads a config and opens its registry, or exits 2 saying why.
struct ConfigTarget {
    let loaded: ConfigLoader.Loaded
    let registry: ResolvedRegistry
    /// The config's name in messages.
    let path: String

    var document: MeshDocument { loaded.document }

    static func open(_ config: ConfigArgument, _ options: RegistryOptionGroup, command: String) throws -> ConfigTarget {
        let loaded = try config.load(command: command)
        switch options.open(document: loaded.document, configPath: loaded.source.registryPath) {
        case .success(let registry):
            return ConfigTarget(loaded: loaded, registry: registry, path: loaded.source.displayPath)
        case .failure(let error):
            Output.error("error: \(error)")
            throw ExitCode(2)
        }
    }
}

struct ConfigPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Write the config to mesh:config and its route plan to mesh:plan.",
        discussion: """
            mesh:config gets the config's text with its sha256 and deploy time; mesh:plan gets the \
            route plan the edge Worker loads (as `config plan` writes it), written last so that a \
            Worker switches only once both are stored. A config with errors is not pushed unless \
            --force is given.
            """
    )

    @OptionGroup var config: ConfigArgument

    @Flag(help: "Push even when the config has errors.")
    var force = false

    @OptionGroup var registry: RegistryOptionGroup

    func run() async throws {
        let target = try ConfigTarget.open(config, registry, command: "config push")
        let name = target.path
        // The errors `check` counts (router findings, lint levels and suppressions included):
        // the plan carries the same count, and the edge Worker does not route with a plan
        // that has any, so a push that passes here is one a Worker loads.
        let compiled = CompiledPlan(target.loaded)
        let errors = compiled.plan.errors
        if errors > 0, !force {
            Output.error(
                "error: \(name) has \(errors) error\(errors == 1 ? "" : "s") (see diddy-mesh check); not pushed "
                    + "(use --force to push anyway)"
            )
            throw ExitCode(1)
        }
        let deployedAt = Int64(Date().timeIntervalSince1970 * 1000)
        let record = MeshConfigRecord(text: target.document.source.text, deployedAt: deployedAt)
        let planRecord = MeshPlanRecord(
            plan: compiled.bytes, configSHA256: compiled.plan.configSHA256, format: RoutePlan.formatVersion,
            deployedAt: deployedAt)
        let store = target.registry.store
        try await registryCall {
            try await store.put(
                RegistryKeys.meshConfig, value: target.document.source.bytes, metadata: record.metadata(),
                expirationTtl: nil)
        }
        do {
            try await registryCall {
                try await store.put(
                    RegistryKeys.meshPlan, value: compiled.bytes, metadata: planRecord.metadata(), expirationTtl: nil)
            }
        } catch {
            Output.error(
                "error: \(RegistryKeys.meshConfig) was written but \(RegistryKeys.meshPlan) was not, so Workers still "
                    + "route with the plan before it; push again")
            throw error
        }
        Output.write(
            "pushed \(name) (sha256 \(record.sha256.prefix(12))) and its route plan (\(compiled.bytes.count) bytes) to "
                + "\(target.registry.description)\n")
    }
}

struct ConfigDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show how the file differs from the deployed config.",
        discussion: """
            Exit status: 0 the same, 1 different (or nothing deployed, or the deployed route plan \
            in mesh:plan is not this config's), 2 on errors.
            """
    )

    @OptionGroup var config: ConfigArgument

    @OptionGroup var registry: RegistryOptionGroup

    func run() async throws {
        let target = try ConfigTarget.open(config, registry, command: "config diff")
        let name = target.path
        let store = target.registry.store
        guard let entry = try await registryCall({ try await store.getWithMetadata(RegistryKeys.meshConfig) }) else {
            Output.write(
                "nothing is deployed in \(target.registry.description) yet (diddy-mesh config push \(name))\n")
            throw ExitCode(1)
        }
        let deployed = String(decoding: entry.value, as: UTF8.self)
        let local = target.document.source.text
        if deployed == local {
            let digest = MeshConfigRecord.digest(of: entry.value)
            Output.write("\(name) is the deployed config (sha256 \(digest.prefix(12)))\n")
            // The Worker routes with mesh:plan, not with this text: a plan of another config
            // (or none) means the edge runs something else.
            if let problem = try await planProblem(store, configSHA256: digest) {
                Output.write("but \(problem); push it again (diddy-mesh config push \(name))\n")
                throw ExitCode(1)
            }
            return
        }
        if let diff = TextDiff.unified(
            old: deployed, new: local, oldName: "\(RegistryKeys.meshConfig) (deployed)", newName: name)
        {
            Output.write(diff)
        } else {
            Output.write("\(name) differs from the deployed config (too large to diff line by line)\n")
        }
        throw ExitCode(1)
    }

    /// Why the stored route plan is not the one of the config whose sha256 is `configSHA256`,
    /// or nil when it is.
    private func planProblem(_ store: any KVStore, configSHA256: String) async throws -> String? {
        guard let plan = try await registryCall({ try await store.getWithMetadata(RegistryKeys.meshPlan) }) else {
            return "\(RegistryKeys.meshPlan) is missing, so the edge Worker has nothing to route with"
        }
        let compiledFrom = try await registryCall {
            try MeshPlanRecord.configSHA256(fromMetadata: plan.metadata)
        }
        guard let compiledFrom, compiledFrom == configSHA256 else {
            let from = compiledFrom.map { "the config with sha256 \($0.prefix(12))" } ?? "an unknown config"
            return "\(RegistryKeys.meshPlan) was compiled from \(from), which the edge Worker routes with"
        }
        return nil
    }
}
