/// The version of the tools, reported by `--version`, SARIF and the language server.
public enum DiddyMeshVersion {
    /// The current version.
    public static let current = "0.1.0"
}
