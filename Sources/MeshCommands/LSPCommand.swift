import ArgumentParser
import Foundation
import MeshLanguageServer

/// `diddy-mesh lsp`: the language server, speaking LSP 3.17 over stdin and stdout.
///
/// Nothing but protocol traffic is written to stdout; logs go to stderr and to the
/// client as `window/logMessage`. The exit status is 0 after `shutdown` then `exit`, 1
/// when the session ends without `shutdown`.
public struct LSPCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server over stdio (LSP 3.17).",
        discussion:
            "Editors start it as `diddy-mesh lsp` (or with `--stdio`, which is the only transport and is accepted "
            + "for clients that always pass it)."
    )

    @Flag(help: "Talk over stdin/stdout (the default and only transport).")
    var stdio = false

    @Flag(help: "Print every `diddyMesh.*` setting the server reads (type, default, description) as JSON, and exit.")
    var printSettings = false

    public init() {}

    public func run() async throws {
        if printSettings {
            print(ServerSettings.descriptionJSON())
            return
        }
        let server = LanguageServer(configuration: ServerConfiguration(version: DiddyMeshVersion.current))
        let status = await server.run(input: .standardInput, output: .standardOutput)
        throw ExitCode(status)
    }
}
