/// The bytes of one piece of a config (a member of `services`) as a dictionary key,
/// hashed once, in one pass over raw memory: `ArraySlice<UInt8>`'s own hashing feeds the
/// hasher a byte at a time, which cost more than validating the piece.
struct PieceKey: Hashable, Sendable {
    let bytes: ArraySlice<UInt8>
    private let digest: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        digest = hasher.finalize()
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    /// Equal bytes, not only equal digests: a reused result must come from the same text.
    static func == (lhs: PieceKey, rhs: PieceKey) -> Bool {
        guard lhs.digest == rhs.digest, lhs.bytes.count == rhs.bytes.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in rhs.bytes.withUnsafeBytes { right in equal(left, right) } }
    }

    /// Compares eight bytes at a time (the generic `elementsEqual` goes a byte at a time
    /// through an iterator, and was the largest cost of a reused service).
    private static func equal(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let count = left.count
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        while offset < count {
            if left[offset] != right[offset] { return false }
            offset += 1
        }
        return true
    }
}
