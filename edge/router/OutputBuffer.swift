/// The bytes of the last answer, in memory the module owns: the host reads them at
/// `mesh_output_ptr` for `mesh_output_len` bytes, and they stay there until the next export
/// that answers (`mesh_load`, `mesh_report`, `mesh_reset`) replaces them.
///
/// The bytes live in an allocation of their own rather than in a Swift array, whose
/// storage address the language does not promise to keep once the array is out of reach.
struct OutputBuffer {
    private var base: UnsafeMutablePointer<UInt8>?

    /// The answer's length in bytes.
    private(set) var count = 0

    /// Where the answer starts; nil before the first answer.
    var start: UnsafePointer<UInt8>? { base.map { UnsafePointer($0) } }

    /// Makes `bytes` the answer, freeing the previous one.
    mutating func replace(with bytes: [UInt8]) {
        base?.deallocate()
        // One byte at least, so an empty answer still has an address to give the host.
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { fresh.initialize(from: from, count: source.count) }
        }
        base = fresh
        count = bytes.count
    }
}
