import Foundation
import MeshCommands

exit(await MeshCommandLine.main(Array(CommandLine.arguments.dropFirst())))
