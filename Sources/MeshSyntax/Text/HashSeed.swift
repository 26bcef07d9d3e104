/// A seed for the hash tables that hash text themselves (the parser's table of a large
/// object's keys, the router's tries), different in every process.
///
/// Their hashes are fast multiply-and-xor functions over bytes, and a repository is
/// untrusted: with a fixed seed, a config could list keys or paths written offline to land
/// in one slot, and each insert would probe all the others. Seeded, which keys collide is
/// not known before the process starts. The parser's key table also gives up its own
/// hashing for a `Dictionary` when a probe runs long (`LargeKeys`).
package enum HashSeed {
    /// Taken from the standard library's `Hasher`, which is seeded at random per process
    /// (a fixed seed where the platform has no randomness, as in the edge module, which
    /// loads only configs their owners push).
    package static let value: UInt64 = {
        var hasher = Hasher()
        hasher.combine(0x6469_6464_792d_6d65 as UInt64)
        return UInt64(truncatingIfNeeded: hasher.finalize())
    }()
}
