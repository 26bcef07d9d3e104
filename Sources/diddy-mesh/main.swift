import MeshCommands

await MeshCommandLine.runAsProcess(Array(CommandLine.arguments.dropFirst()))
