import Foundation

/// Where the server reads its input from: chunks of bytes, split anywhere.
///
/// Reads are pulled one at a time, so a client that writes faster than the server
/// handles messages is held back by the pipe rather than buffered without bound.
public protocol ByteSource: Sendable {
    /// The next chunk, or nil at end of input.
    func read() async -> [UInt8]?
}

/// Reads a file descriptor (stdin) with blocking `read(2)` calls on a dedicated queue, so
/// that no thread of Swift's cooperative pool waits on the client.
public final class FileDescriptorSource: ByteSource {
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "diddy-mesh.lsp.input")
    private let chunkSize: Int

    /// Reads `descriptor` in chunks of at most `chunkSize` bytes.
    public init(descriptor: Int32, chunkSize: Int = 64 << 10) {
        self.descriptor = descriptor
        self.chunkSize = max(1, chunkSize)
    }

    public func read() async -> [UInt8]? {
        let descriptor = descriptor
        let chunkSize = chunkSize
        return await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Self.blockingRead(descriptor, chunkSize: chunkSize))
            }
        }
    }

    private static func blockingRead(_ descriptor: Int32, chunkSize: Int) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, chunkSize) }
            if count > 0 { return Array(chunk.prefix(count)) }
            // EINTR is a signal arriving during the read, not the end of input.
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }
}

/// A fixed list of chunks, for tests and fuzzing.
public struct ChunkSource: ByteSource {
    private let chunks: ChunkQueue

    /// Serves `chunks` in order, then end of input.
    public init(_ chunks: [[UInt8]]) {
        self.chunks = ChunkQueue(chunks)
    }

    public func read() async -> [UInt8]? { chunks.pop() }
}

/// The mutable cursor of a ``ChunkSource``.
final class ChunkQueue: Sendable {
    private let state: LockedValue<(chunks: [[UInt8]], next: Int)>

    init(_ chunks: [[UInt8]]) {
        state = LockedValue((chunks, 0))
    }

    func pop() -> [UInt8]? {
        state.withLock { state in
            guard state.next < state.chunks.count else { return nil }
            defer { state.next += 1 }
            return state.chunks[state.next]
        }
    }
}
