#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading and creating files of an untrusted workspace (docs/security.md): a read never
/// blocks on a FIFO or a device, never grows past its cap, and, where asked, never follows
/// a symbolic link; a create never follows one and never replaces a file.
///
/// Everything here works on one open descriptor, so what is checked (a regular file, its
/// size) is what is read: a path swapped for a symlink between a check and a read cannot
/// slip through, as it could with `FileManager`'s separate calls.
public enum WorkspaceFile {
    /// Why a file could not be read or written; `message` names the path.
    public struct Failure: Error, Sendable, Equatable {
        /// A sentence for the user.
        public let message: String
        /// Whether the path names nothing at all (as opposed to something unusable).
        public let isMissing: Bool
    }

    /// Whether a symbolic link at the last component of a path is followed.
    public enum Links: Sendable {
        /// Follow it: the path was named by the user, who may point wherever they like.
        case follow
        /// Refuse it: the path comes from a workspace, whose links may lead anywhere.
        case refuse
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    ///
    /// A FIFO, socket, device or folder is refused without blocking, as is a file larger
    /// than `limit`, unless `truncating`, which returns its first `limit` bytes instead.
    /// The size is checked again while reading, so a file that grows still stops at the cap.
    public static func read(
        _ path: String, limit: Int, links: Links = .follow, truncating: Bool = false
    ) -> Result<[UInt8], Failure> {
        let flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (links == .refuse ? O_NOFOLLOW : 0)
        let descriptor = open(path, flags)
        guard descriptor >= 0 else { return .failure(openFailure(path, errno: errno, links: links)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(failure(path, errnoText(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(failure(path, "it is \(kindName(info.st_mode)), not a regular file"))
        }
        guard truncating || Int(info.st_size) <= limit else { return .failure(tooLarge(path, limit: limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(Int(info.st_size), limit))
        var chunk = [UInt8](repeating: 0, count: min(64 * 1024, limit + 1))
        while true {
            let count = chunk.withUnsafeMutableBytes { readSome(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(failure(path, errnoText(errno)))
            }
            if count == 0 { return .success(bytes) }
            guard bytes.count + count <= limit else {
                if truncating { return .success(bytes + chunk[0..<(limit - bytes.count)]) }
                return .failure(tooLarge(path, limit: limit))
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Creates `path` with `bytes`, failing when anything (a file, a folder, a symbolic
    /// link, even a dangling one) is already there: nothing is overwritten and no link is
    /// written through.
    public static func create(_ path: String, bytes: [UInt8], mode: mode_t = 0o644) -> Result<Void, Failure> {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let code = errno
            let reason = code == EEXIST ? "something is already there" : errnoText(code)
            return .failure(Failure(message: "cannot write '\(path)': \(reason)", isMissing: false))
        }
        var written = 0
        var writeError: Int32?
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while written < buffer.count {
                let count = write(descriptor, base + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    writeError = errno
                    return
                }
                written += count
            }
        }
        let closeError: Int32? = close(descriptor) == 0 ? nil : errno
        if let code = writeError ?? closeError {
            unlink(path)
            return .failure(Failure(message: "cannot write '\(path)': \(errnoText(code))", isMissing: false))
        }
        return .success(())
    }

    /// What kind of file `path` is without following a link at its end, or nil when
    /// nothing is there.
    public static func kind(of path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other(kindName(info.st_mode))
        }
    }

    /// Checks that no component of `path` below `base` is a symbolic link, and that every
    /// one but the last is a folder. Components that do not exist yet end the check (they
    /// will be created by whoever checks again after creating them). `base` itself and what
    /// is above it are trusted: that is where the user pointed the tool.
    public static func linkFreeFailure(_ path: String, below base: String) -> Failure? {
        let trimmedBase = base.count > 1 && base.hasSuffix("/") ? String(base.dropLast()) : base
        guard path == trimmedBase || path.hasPrefix(trimmedBase == "/" ? "/" : trimmedBase + "/") else {
            return Failure(message: "'\(path)' is not inside '\(base)'", isMissing: false)
        }
        let relative = path.dropFirst(trimmedBase.count).split(separator: "/", omittingEmptySubsequences: true)
        var current = trimmedBase
        for (index, component) in relative.enumerated() {
            if component == ".." {
                return Failure(message: "'\(path)' leaves '\(base)' through '..'", isMissing: false)
            }
            current += (current.hasSuffix("/") ? "" : "/") + component
            switch kind(of: current) {
            case nil:
                return nil
            case .symbolicLink?:
                return Failure(
                    message: "'\(current)' is a symbolic link, which is not followed inside '\(base)'",
                    isMissing: false)
            case .directory?:
                continue
            case .regular? where index == relative.count - 1:
                continue
            case .regular?, .other?:
                return Failure(message: "'\(current)' is not a folder", isMissing: false)
            }
        }
        return nil
    }

    /// The kinds ``kind(of:)`` tells apart.
    public enum Kind: Sendable, Equatable {
        case regular
        case directory
        case symbolicLink
        /// A FIFO, socket or device, with its name for messages.
        case other(String)
    }

    // MARK: Messages

    private static func openFailure(_ path: String, errno code: Int32, links: Links) -> Failure {
        if code == ENOENT { return Failure(message: "cannot read '\(path)': no such file", isMissing: true) }
        if code == ELOOP, links == .refuse {
            return failure(path, "it is a symbolic link, which is not followed inside a workspace")
        }
        return failure(path, errnoText(code))
    }

    private static func failure(_ path: String, _ reason: String) -> Failure {
        Failure(message: "cannot read '\(path)': \(reason)", isMissing: false)
    }

    private static func tooLarge(_ path: String, limit: Int) -> Failure {
        failure(path, "it is larger than the \(sizeText(limit)) limit")
    }

    /// `256 MiB` or `4 KiB`: a size limit as messages state it.
    public static func sizeText(_ bytes: Int) -> String {
        bytes >= 1_048_576 && bytes % 1_048_576 == 0 ? "\(bytes / 1_048_576) MiB" : "\(bytes / 1024) KiB"
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// `read(2)`, reachable under another name inside ``WorkspaceFile``, whose own `read`
/// would shadow it.
private func readSome(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
