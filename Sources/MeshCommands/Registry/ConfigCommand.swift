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
        let errors = target.document.diagnostics.filter { $0.severity == .error }.count
        if errors > 0, !force {
            Output.error(
                "error: \(name) has \(errors) error\(errors == 1 ? "" : "s") (see diddy-mesh check); not pushed "
                    + "(use --force to push anyway)"
            )
            throw ExitCode(1)
        }
        let deployedAt = Int64(Date().timeIntervalSince1970 * 1000)
        let record = MeshConfigRecord(text: target.document.source.text, deployedAt: deployedAt)
        let compiled = CompiledPlan(target.loaded)
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
        discussion: "Exit status: 0 the same, 1 different (or nothing deployed), 2 on errors."
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
            Output.write(
                "\(name) is the deployed config (sha256 \(MeshConfigRecord.digest(of: entry.value).prefix(12)))\n")
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
}
