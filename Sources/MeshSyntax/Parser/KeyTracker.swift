/// Remembers the keys of one object to find duplicates; small objects use a linear scan
/// because most config objects have a handful of keys.
///
/// The keys of a small object live in a scratch stack that the whole parse shares
/// (`scratch[base...]`), so an object costs no allocation; nested objects push above it
/// and are truncated away when they end.
struct KeyTracker {
    /// Where this object's keys start in the scratch stack.
    let base: Int
    private var smallCount = 0
    /// A large object's keys: the last key with each hash, and for every key the one
    /// before it with the same hash (-1 ends a chain). Chains in one flat array cost no
    /// allocation per key, where an array per hash bucket cost one each (and freeing
    /// thousands of them when the `services` object ended).
    private var large: [UInt64: Int32] = [:]
    private var chain: [(range: ByteRange, previous: Int32)] = []
    /// Set once a key with an escape appears: from then on keys are compared decoded,
    /// since `"a"` and `"\u0061"` are the same key.
    private var decoded: [String: ByteRange]?

    /// A tracker whose small keys start at `base` in the shared scratch stack.
    init(base: Int) {
        self.base = base
    }

    /// Records the key token at `range`; returns the range of an earlier equal key, if any.
    ///
    /// Keys are compared as raw bytes, which needs no allocation; most configs never
    /// escape a key, and the `services` object can have thousands of them.
    mutating func insert(_ range: ByteRange, in buffer: UnsafeBufferPointer<UInt8>, scratch: inout [ByteRange])
        -> ByteRange?
    {
        let bytes = UnsafeBufferPointer(rebasing: buffer[range.start..<range.end])
        // Indices, not a slice of `scratch`: a slice alive across the append below would
        // make the shared stack copy itself.
        let small = base..<(base + smallCount)
        if decoded == nil, bytes.contains(UInt8(ascii: "\\")) {
            var map: [String: ByteRange] = [:]
            for earlier in Array(scratch[small]) + chain.map({ $0.range }).sorted(by: { $0.start < $1.start }) {
                let name = StringDecoding.decode(buffer, range: earlier)
                if map[name] == nil { map[name] = earlier }
            }
            decoded = map
        }
        if decoded != nil {
            let name = StringDecoding.decode(buffer, range: range)
            if let existing = decoded?[name] { return existing }
            decoded?[name] = range
            return nil
        }
        if large.isEmpty {
            for index in small where Self.equal(buffer, scratch[index], bytes) { return scratch[index] }
            scratch.append(range)
            smallCount += 1
            if smallCount > 16 {
                for earlier in scratch[base..<(base + smallCount)] {
                    let earlierBytes = UnsafeBufferPointer(rebasing: buffer[earlier.start..<earlier.end])
                    addLarge(earlier, hash: Self.hash(earlierBytes))
                }
                scratch.removeSubrange(base...)
                smallCount = 0
            }
            return nil
        }
        let hash = Self.hash(bytes)
        var link = large[hash] ?? -1
        while link >= 0 {
            let earlier = chain[Int(link)]
            if Self.equal(buffer, earlier.range, bytes) { return earlier.range }
            link = earlier.previous
        }
        addLarge(range, hash: hash)
        return nil
    }

    private mutating func addLarge(_ range: ByteRange, hash: UInt64) {
        chain.append((range, large[hash] ?? -1))
        large[hash] = Int32(chain.count - 1)
    }

    private static func equal(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: ByteRange, _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard range.length == bytes.count else { return false }
        for offset in 0..<bytes.count where buffer[range.start + offset] != bytes[offset] {
            return false
        }
        return true
    }

    /// FNV-1a, enough to spread keys over buckets; equality is always checked on the bytes.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension Int32 {
    var asInt: Int { Int(self) }
}
