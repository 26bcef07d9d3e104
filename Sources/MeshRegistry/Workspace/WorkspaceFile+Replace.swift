#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension WorkspaceFile {
    /// Replaces the contents of the regular file at `path` with `bytes`, all at once: the
    /// new bytes go to a fresh file beside it (created exclusively, never through a link,
    /// with the old file's permissions), which is then renamed over it. A reader sees the
    /// old file or the new one, never half of either, and a crash leaves the old file.
    ///
    /// A symbolic link at `path` is refused rather than written through or replaced:
    /// `check --fix` and `fmt` rewrite configs of a workspace, whose links may lead out of
    /// it (docs/security.md).
    public static func replace(_ path: String, bytes: [UInt8]) -> Result<Void, Failure> {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return .failure(Failure(message: "cannot write '\(path)': \(errnoText(errno))", isMissing: errno == ENOENT))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFLNK ? "a symbolic link" : kindName(info.st_mode)
            return .failure(
                Failure(message: "cannot write '\(path)': it is \(what), which is not rewritten", isMissing: false))
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = folder + ".\(name).diddy-mesh-\(getpid()).tmp"
        switch create(temporary, bytes: bytes, mode: info.st_mode & 0o7777) {
        case .failure(let failure): return .failure(failure)
        case .success: break
        }
        // `create` applied the umask; the file keeps exactly the permissions it had.
        _ = chmod(temporary, info.st_mode & 0o7777)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            return .failure(Failure(message: "cannot write '\(path)': \(errnoText(code))", isMissing: false))
        }
        return .success(())
    }
}
