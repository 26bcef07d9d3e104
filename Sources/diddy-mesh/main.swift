import Foundation
import MeshCommands

exit(MeshCommandLine.main(Array(CommandLine.arguments.dropFirst())))
