/// The version of the tools, reported by `--version`, SARIF and the language server.
public enum DiddyMeshVersion {
    /// The current version.
    public static let current = "0.1.0"

    /// What `--version` prints: the version, then the commit and the UTC day of the build,
    /// which scripts/build-info.sh records before each build ("unknown" when it could not
    /// tell, as in a tarball without `.git`). The version comes first, so scripts that read
    /// the first word still get it.
    public static let description = "\(current) (commit \(BuildInfo.commit), built \(BuildInfo.date))"
}
