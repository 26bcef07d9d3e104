import ArgumentParser
import Foundation
import MeshRegistry
import WireJSON

/// `diddy-mesh kv list|get|put|delete`: inspect the registry namespace.
struct KVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kv",
        abstract: "Inspect the registry's KV namespace.",
        subcommands: [KVListCommand.self, KVGetCommand.self, KVPutCommand.self, KVDeleteCommand.self]
    )
}

/// Options every `kv` subcommand shares.
struct KVCommonOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "The mesh config whose mesh.registry to use (default: the one config the search from the current "
                + "folder finds, as for route; with none, the registry options and the wrangler config alone)."),
        completion: .meshConfig)
    var config: String?

    @OptionGroup var registry: RegistryOptionGroup

    /// The store, or exit 2 with the reason.
    func store() throws -> any KVStore {
        let loaded = try configToUse()
        let resolved = registry.open(document: loaded?.document, configPath: loaded?.source.registryPath)
        switch resolved {
        case .success(let resolved): return resolved.store
        case .failure(let error):
            Output.error("error: \(error)")
            throw ExitCode(2)
        }
    }

    /// The config whose registry `kv` uses, found as every command finds one
    /// (docs/guide/config-discovery.md). A search that finds none is not an error here:
    /// the registry options and the wrangler config can name the namespace alone.
    private func configToUse() throws -> ConfigLoader.Loaded? {
        let result = ConfigLoader.loadSingle(config, stdinName: nil, command: "kv")
        if config == nil, case .failure(let failure) = result, failure.foundNothing { return nil }
        return try ConfigArgument.loaded(result)
    }
}

/// Maps a registry failure to an exit status with its message: 1 when the store answered
/// but what it holds cannot be used (corrupt data, or a state folder that leads out of the
/// workspace), 2 when the command could not run at all.
func registryCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RegistryError {
        Output.error("error: \(error)")
        if case .corrupt = error { throw ExitCode(1) }
        throw ExitCode(2)
    }
}

struct KVListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List keys, one per line, or as JSON with --format json.")

    @Option(help: "Only keys starting with this prefix.")
    var prefix: String?

    @Option(help: "Output format: text or json.", completion: .list(["text", "json"]))
    var format: String = "text"

    @OptionGroup var common: KVCommonOptions

    func validate() throws {
        guard format == "text" || format == "json" else {
            throw ValidationError("unknown format '\(format)': use text or json")
        }
    }

    func run() async throws {
        let store = try common.store()
        let keys = try await registryCall { try await store.listAll(prefix: prefix) }
        if format == "json" {
            let array: [JSONValue] = keys.map { key in
                var object: JSONObject = ["name": .string(key.name)]
                object["expiration"] = key.expiration.map { .int($0) } ?? .null
                object["metadata"] = key.metadata.flatMap { try? WireJSON.parse($0).get() } ?? .null
                return .object(object)
            }
            Output.write(WireJSON.serialize(.array(array), pretty: true) + "\n")
        } else {
            Output.write(keys.map { $0.name + "\n" }.joined())
        }
    }
}

struct KVGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Write a key's raw value to stdout (exit 1 when absent).")

    @Argument(help: "The key.")
    var key: String

    @OptionGroup var common: KVCommonOptions

    func run() async throws {
        let store = try common.store()
        guard let value = try await registryCall({ try await store.get(key) }) else {
            Output.error("'\(key)' is not set")
            throw ExitCode(1)
        }
        Output.write(bytes: value)
    }
}

struct KVPutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Set a key's value, with optional metadata and TTL.")

    @Argument(help: "The key.")
    var key: String

    @Argument(help: "The value.")
    var value: String

    @Option(help: "Metadata as JSON (at most 1024 bytes).")
    var metadata: String?

    @Option(help: "Expire after this many seconds (at least 60).")
    var ttl: Int?

    @OptionGroup var common: KVCommonOptions

    func validate() throws {
        if let metadata, case .failure(let error) = WireJSON.parse(metadata) {
            throw ValidationError("--metadata is not valid JSON: \(error)")
        }
    }

    func run() async throws {
        let store = try common.store()
        try await registryCall {
            try await store.put(key, value: Array(value.utf8), metadata: metadata, expirationTtl: ttl)
        }
    }
}

struct KVDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a key.")

    @Argument(help: "The key.")
    var key: String

    @OptionGroup var common: KVCommonOptions

    func run() async throws {
        let store = try common.store()
        try await registryCall { try await store.delete(key) }
    }
}
