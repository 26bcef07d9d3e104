#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The blob directory of one wrangler-local namespace: `<root>/<namespaceId>/blobs/<blob_id>`.
///
/// Blob ids are never reused, so a blob is written once, read many times and removed once
/// its row points elsewhere. Plain POSIX calls are used because the store must tell a missing
/// file (`ENOENT`, maybe a concurrent replace) from any other failure.
struct WranglerLocalBlobs: Sendable {
    /// `<root>/<namespaceId>/blobs`.
    let directory: String

    /// A fresh blob id: 80 hex characters, 32 random bytes then `nowMs` as a big-endian
    /// int64, the format Miniflare uses.
    static func newBlobId(nowMs: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        for _ in 0..<4 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        withUnsafeBytes(of: UInt64(bitPattern: nowMs).bigEndian) { bytes.append(contentsOf: $0) }
        return MiniflareNamespace.hexString(bytes)
    }

    /// Whether `blobId` (read from a row someone else may have written) is safe to use as a
    /// file name: one path component, not hidden (our temporary files start with a dot).
    static func isSafe(blobId: String) -> Bool {
        guard !blobId.isEmpty, blobId.utf8.count <= 255, blobId.first != "." else { return false }
        return blobId.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "0"..."9", "a"..."z", "A"..."Z", "-", "_", ".": true
            default: false
            }
        }
    }

    func path(of blobId: String) -> String { directory + "/" + blobId }

    /// Creates the blob directory (and its parents) if needed.
    func createDirectory() throws(RegistryError) {
        try Self.createDirectories(directory)
    }

    /// `mkdir -p`, with errno in the message so "not a directory" or "permission denied" reach
    /// the user as such.
    static func createDirectories(_ path: String) throws(RegistryError) {
        var info = stat()
        // The common case, once per put: it is already there.
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw .unreachable("cannot create the directory \(current): \(errnoReason())")
            }
        }
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .unreachable("cannot create the directory \(path): a file is in the way")
        }
    }

    /// Writes `bytes` as blob `blobId`, via a temporary file renamed into place, so the blob
    /// never exists half-written under its final name.
    func store(_ bytes: [UInt8], blobId: String) throws(RegistryError) {
        let finalPath = path(of: blobId)
        let temporaryPath = directory + "/." + blobId + ".tmp"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unreachable("cannot write \(temporaryPath): \(Self.errnoReason())")
        }
        var written = 0
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count, let base = buffer.baseAddress {
                let count = write(descriptor, base + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = Self.errnoReason()
                    return
                }
                written += count
            }
        }
        if close(descriptor) != 0, failure == nil { failure = Self.errnoReason() }
        if failure == nil, rename(temporaryPath, finalPath) != 0 { failure = Self.errnoReason() }
        if let failure {
            unlink(temporaryPath)
            throw .unreachable("cannot write \(finalPath): \(failure)")
        }
    }

    /// The bytes of blob `blobId` (the value of `key`), or nil when the file does not exist.
    ///
    /// The blob must be a regular file of at most the KV value limit, opened without
    /// following a symbolic link: a `.wrangler/state` that came with a repository may hold a
    /// link to `/proc/self/environ` or `/dev/zero` under a blob's name (docs/security.md).
    func load(blobId: String, key: String) throws(RegistryError) -> [UInt8]? {
        switch WorkspaceFile.read(path(of: blobId), limit: KVLimits.maximumValueBytes, links: .refuse) {
        case .success(let bytes): return bytes
        case .failure(let failure) where failure.isMissing: return nil
        case .failure(let failure): throw .corrupt("the value of key '\(key)' is unreadable: \(failure.message)")
        }
    }

    /// Removes blob `blobId`; a blob that is already gone is fine.
    ///
    /// Failures are ignored on purpose: the row no longer points at this blob, so the write
    /// or delete the caller asked for has happened; an undeletable file is only garbage.
    func remove(blobId: String) {
        guard Self.isSafe(blobId: blobId) else { return }
        unlink(path(of: blobId))
    }

    /// Which file a path names (device and inode), or nil when it names none.
    struct FileIdentity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    static func errnoReason() -> String {
        String(cString: strerror(errno))
    }
}
