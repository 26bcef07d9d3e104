import MeshRegistry

/// One config a command reads: a file (named on the command line or found by
/// ``ConfigDiscovery``) or standard input (`-`).
public enum ConfigSource: Sendable, Hashable {
    /// A file; `links` says whether a symbolic link at its end is followed: yes for a path
    /// the user named, no for one a folder search found (docs/security.md).
    case file(String, links: WorkspaceFile.Links)
    /// Standard input; `name` is `--stdin-filename` when given.
    case standardInput(name: String?)

    /// What messages and positions call the config: the file's path, or the
    /// `--stdin-filename` (else `<stdin>`) for standard input.
    public var displayPath: String {
        switch self {
        case .file(let path, _): path
        case .standardInput(let name): name ?? Self.standardInputName
        }
    }

    /// The path the registry's wrangler config is searched from (docs/registry-resolution.md):
    /// the file, or the `--stdin-filename`; nil for unnamed standard input, which starts
    /// the search in the current folder.
    public var registryPath: String? {
        switch self {
        case .file(let path, _): path
        case .standardInput(let name): name
        }
    }

    /// The name of standard input without `--stdin-filename`.
    public static let standardInputName = "<stdin>"

    /// The config's bytes, with the size cap of ``FileReader``.
    public func read() -> Result<[UInt8], FileReader.Failure> {
        switch self {
        case .file(let path, let links): FileReader.read(path, links: links)
        case .standardInput: FileReader.readStandardInput()
        }
    }
}
