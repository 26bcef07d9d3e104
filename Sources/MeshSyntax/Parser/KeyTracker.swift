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
    private var large: [UInt64: [ByteRange]] = [:]
    /// Set once a key with an escape appears: from then on keys are compared decoded,
    /// since `"a"` and `"\u0061"` are the same key.
    private var decoded: [String: ByteRange]?

    /// Records the key token at `range`; returns the range of an earlier equal key, if any.
    ///
    /// Keys are compared as raw bytes, which needs no allocation; most configs never
    /// escape a key, and the `services` object can have thousands of them.
    init(base: Int) {
        self.base = base
    }

    mutating func insert(_ range: ByteRange, in buffer: UnsafeBufferPointer<UInt8>, scratch: inout [ByteRange])
        -> ByteRange?
    {
        let bytes = UnsafeBufferPointer(rebasing: buffer[range.start..<range.end])
        let small = scratch[base..<(base + smallCount)]
        if decoded == nil, bytes.contains(UInt8(ascii: "\\")) {
            var map: [String: ByteRange] = [:]
            for earlier in Array(small) + large.values.flatMap({ $0 })
            where map[StringDecoding.decode(buffer, range: earlier)] == nil {
                map[StringDecoding.decode(buffer, range: earlier)] = earlier
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
            for earlier in small where Self.equal(buffer, earlier, bytes) { return earlier }
            scratch.append(range)
            smallCount += 1
            if smallCount > 16 {
                for earlier in scratch[base..<(base + smallCount)] {
                    large[Self.hash(UnsafeBufferPointer(rebasing: buffer[earlier.start..<earlier.end])), default: []]
                        .append(earlier)
                }
                scratch.removeSubrange(base...)
                smallCount = 0
            }
            return nil
        }
        let hash = Self.hash(bytes)
        if let candidates = large[hash] {
            for earlier in candidates where Self.equal(buffer, earlier, bytes) { return earlier }
        }
        large[hash, default: []].append(range)
        return nil
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
