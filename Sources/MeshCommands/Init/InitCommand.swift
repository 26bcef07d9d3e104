import ArgumentParser
import Foundation

/// `diddy-mesh init`: writes a starter `diddy-mesh.jsonc` wired to the wrangler config's
/// KV namespace, if there is one.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter diddy-mesh.jsonc (and its JSON Schema) into a folder.",
        discussion: """
            The starter has two services, two rules and a default, with comments on each part, and \
            passes `diddy-mesh check` as written. Its `$schema` is --schema when given, else the \
            repository's schemas/diddy-mesh.schema.json when the folder is inside a checkout, else \
            diddy-mesh.schema.json, written beside it. When a wrangler config (wrangler.json, \
            wrangler.jsonc or wrangler.toml, in the folder or above) has KV namespaces, \
            mesh.registry.binding names one: the only one, the one given with --binding, or the \
            one named for the mesh (MESH or REGISTRY in its name). Existing files are never \
            overwritten without --force. Exit status: 0 written, 2 nothing written.
            """
    )

    @Option(name: .long, help: "The folder to write into (created when missing).", completion: .directory)
    var directory: String = "."

    @Flag(help: "Overwrite diddy-mesh.jsonc and diddy-mesh.schema.json when they exist.")
    var force = false

    @Option(help: "The KV binding of the wrangler config to use as the registry, when it has several.")
    var binding: String?

    @Option(help: "The value of \"$schema\" (a URL or a path relative to the config); no schema file is written then.")
    var schema: String?

    @Option(help: "The mesh's display name (mesh.name; default: the folder's name).")
    var name: String?

    func run() throws {
        var options = InitRunner.Options()
        options.directory = directory
        options.force = force
        options.binding = binding
        options.schema = schema
        options.name = name
        let result = InitRunner.run(options)
        FileHandle.standardOutput.write(Data(TerminalText.escape(result.output, keepingLayout: true).utf8))
        FileHandle.standardError.write(Data(TerminalText.escape(result.errors, keepingLayout: true).utf8))
        throw ExitCode(result.exitCode)
    }
}
