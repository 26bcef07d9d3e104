import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` (the commit and build date `diddy-mesh --version` prints) for
/// the target it is applied to, by running scripts/build-info.sh before every build.
///
/// A prebuild command, not a build command: the commit changes without any input file
/// SwiftPM could watch, and the script is cheap and leaves the file untouched when nothing
/// changed. It runs under `/bin/sh` because prebuild commands cannot use tools built from
/// this package, and a shell script needs nothing but what every build machine has.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    /// The variables the script reads, passed on from the build's environment.
    static let forwarded = ["DIDDY_MESH_COMMIT", "DIDDY_MESH_BUILD_DATE", "SOURCE_DATE_EPOCH", "PATH"]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let package = context.package.directoryURL
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let environment = ProcessInfo.processInfo.environment.filter { Self.forwarded.contains($0.key) }
        return [
            .prebuildCommand(
                displayName: "Recording the commit and build date for --version",
                executable: URL(filePath: "/bin/sh"),
                arguments: [
                    package.appending(path: "scripts/build-info.sh").path(percentEncoded: false),
                    package.path(percentEncoded: false),
                    outputDirectory.appending(path: "BuildInfo.swift").path(percentEncoded: false),
                ],
                environment: environment,
                outputFilesDirectory: outputDirectory)
        ]
    }
}
