#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the `.wasm` file of the edge router: a regular file of at most a given size, read
/// from one open descriptor, so what is checked is what is read. A FIFO or a device is
/// refused without blocking, and a file that grows while it is read still stops at the cap.
/// (MeshRegistry's `WorkspaceFile` does the same for configs; this target stays below the
/// registry, so it has its own few lines.)
enum ModuleFile {
    static func read(_ path: String, limit: Int) -> Result<[UInt8], EdgeHostError> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            return .failure(
                code == ENOENT || code == ENOTDIR
                    ? .moduleMissing(path: path) : .moduleUnreadable(path: path, reason: errnoText(code)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            return .failure(.moduleUnreadable(path: path, reason: errnoText(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "not a regular file"
            return .failure(.moduleUnreadable(path: path, reason: "it is \(kind)"))
        }
        guard Int(info.st_size) <= limit else { return .failure(.moduleTooLarge(path: path, limit: limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { readSome(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(.moduleUnreadable(path: path, reason: errnoText(errno)))
            }
            if count == 0 { return .success(bytes) }
            guard bytes.count + count <= limit else { return .failure(.moduleTooLarge(path: path, limit: limit)) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// `read(2)`, under another name inside ``ModuleFile``, whose own `read` would shadow it.
private func readSome(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
