import ArgumentParser
import Foundation

/// `diddy-mesh schema`: prints the JSON Schema, the same bytes as `schemas/diddy-mesh.schema.json`.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the mesh config format."
    )

    func run() throws {
        FileHandle.standardOutput.write(Data(JSONSchemaGenerator.text().utf8))
    }
}
