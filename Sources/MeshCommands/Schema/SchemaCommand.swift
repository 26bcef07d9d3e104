import ArgumentParser
import Foundation
import MeshConfig

/// `diddy-mesh schema`: prints the JSON Schema, the same bytes as `schemas/diddy-mesh.schema.json`,
/// or with `--format markdown` the config reference page, `docs/guide/config-reference.md`.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the mesh config format.",
        discussion:
            "With --format markdown, print the config reference (docs/guide/config-reference.md) from the same "
            + "description."
    )

    /// What the command prints.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case markdown
    }

    @Option(help: "Output format: json (the JSON Schema) or markdown (the config reference).")
    var format: Format = .json

    func run() throws {
        let text =
            switch format {
            case .json: JSONSchemaGenerator.text()
            case .markdown: SchemaReference.markdown()
            }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
