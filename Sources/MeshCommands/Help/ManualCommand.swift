import ArgumentParser

/// `diddy-mesh man`: prints the diddy-mesh(1) manual page, written from the same
/// definitions as `--help` (docs/guide/install.md, "The manual page").
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "man",
        abstract: "Print the diddy-mesh(1) manual page (roff), generated from the same definitions as --help.",
        discussion: "Save it as diddy-mesh.1 in a man1 folder on MANPATH, or read it with 'diddy-mesh man | man -l -'."
    )

    func run() throws {
        guard let tool = CommandDescription.tool() else {
            // Only a change in the argument parser's description format gets here.
            throw ValidationError("the argument parser's description of the commands could not be read")
        }
        let usage = DiddyMeshCommand.configuration.usage ?? tool.name
        let page = ManualPage(
            tool: tool, version: DiddyMeshVersion.current, date: BuildInfo.date,
            usage: usage.split(separator: "\n").map(String.init))
        print(page.roff, terminator: "")
    }
}
