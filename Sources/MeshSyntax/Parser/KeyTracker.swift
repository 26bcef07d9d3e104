/// Remembers the keys of one object to find duplicates; small objects use a linear scan
/// because most config objects have a handful of keys.
///
/// The keys of a small object live in a scratch stack that the whole parse shares
/// (`scratch[base...]`), so an object costs no allocation; nested objects push above it
/// and are truncated away when they end. Past ``smallLimit`` keys an object moves its keys
/// to a hash table of its own, so that the `services` object with thousands of keys costs
/// one lookup per key rather than a scan.
struct KeyTracker {
    /// One key of a small object: where it is, its length and a summary of its bytes, so
    /// that most keys are told apart without reading them again.
    struct SmallKey {
        var start: Int32
        var length: Int32
        var summary: UInt64
    }

    /// The most keys an object keeps in the linear scan; above it, a scan costs more than
    /// the hashing of every key.
    static let smallLimit = 16

    /// Where this object's keys start in the scratch stack.
    let base: Int
    private var smallCount = 0
    /// A large object's keys (nil while the object is small).
    private var large: LargeKeys?
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
    /// When `mayHaveEscapes` is false (no string of the document has a backslash), keys
    /// are not searched for one.
    mutating func insert(
        _ range: ByteRange, in buffer: UnsafeBufferPointer<UInt8>, mayHaveEscapes: Bool, scratch: inout [SmallKey]
    ) -> ByteRange? {
        let start = range.start
        let length = range.length
        if mayHaveEscapes, decoded == nil, Self.containsBackslash(buffer, start: start, length: length) {
            startDecoding(buffer, scratch: scratch)
        }
        if decoded != nil {
            let name = StringDecoding.decode(buffer, range: range)
            if let existing = decoded?[name] { return existing }
            decoded?[name] = range
            return nil
        }
        if let large {
            return large.insert(start: start, length: length, in: buffer)
        }
        let summary = Self.summary(buffer, start: start, length: length)
        let small = SmallKey(
            start: Int32(truncatingIfNeeded: start), length: Int32(truncatingIfNeeded: length), summary: summary)
        // Indices, not a slice of `scratch`: a slice alive across the append below would
        // make the shared stack copy itself.
        for index in base..<(base + smallCount) {
            let earlier = scratch[index]
            if earlier.summary == summary, earlier.length == small.length,
                Self.equal(buffer, Int(earlier.start), start, length: length)
            {
                return ByteRange(start: Int(earlier.start), end: Int(earlier.start) + length)
            }
        }
        scratch.append(small)
        smallCount += 1
        if smallCount > Self.smallLimit {
            let table = LargeKeys()
            for index in base..<(base + smallCount) {
                let earlier = scratch[index]
                table.add(start: Int(earlier.start), length: Int(earlier.length), in: buffer)
            }
            large = table
            scratch.removeLast(smallCount)
            smallCount = 0
        }
        return nil
    }

    /// Switches to comparing decoded keys, keeping for each name the first key with it.
    private mutating func startDecoding(_ buffer: UnsafeBufferPointer<UInt8>, scratch: [SmallKey]) {
        var earlier: [ByteRange] = []
        for index in base..<(base + smallCount) {
            let key = scratch[index]
            earlier.append(ByteRange(start: Int(key.start), end: Int(key.start) + Int(key.length)))
        }
        // A large object's keys are already in document order.
        earlier += large?.ranges ?? []
        var map: [String: ByteRange] = [:]
        for range in earlier {
            let name = StringDecoding.decode(buffer, range: range)
            if map[name] == nil { map[name] = range }
        }
        decoded = map
    }

    @inline(__always)
    private static func containsBackslash(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, length: Int) -> Bool {
        for offset in 0..<length where buffer[start + offset] == UInt8(ascii: "\\") {
            return true
        }
        return false
    }

    /// The first and the last eight bytes of a key (fewer when it is shorter), which tell
    /// apart all but keys that differ only in their middle.
    @inline(__always)
    static func summary(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, length: Int) -> UInt64 {
        guard length >= 8, let base = buffer.baseAddress else {
            var value: UInt64 = 0
            for offset in 0..<length {
                value = value << 8 | UInt64(buffer[start + offset])
            }
            return value
        }
        let raw = UnsafeRawPointer(base)
        let first = raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)
        let last = raw.loadUnaligned(fromByteOffset: start + length - 8, as: UInt64.self)
        return first ^ (last << 29 | last >> 35)
    }

    @inline(__always)
    static func equal(_ buffer: UnsafeBufferPointer<UInt8>, _ lhs: Int, _ rhs: Int, length: Int) -> Bool {
        for offset in 0..<length where buffer[lhs + offset] != buffer[rhs + offset] {
            return false
        }
        return true
    }
}

/// The keys of one large object, in an open-addressing hash table of indices into a list
/// of the keys in document order; a table of its own rather than a `Dictionary`, whose
/// `Hasher` cost more than the lookups.
final class LargeKeys {
    /// The keys in document order.
    private var keys: [(start: Int32, length: Int32, hash: UInt32)] = []
    /// Index + 1 into `keys` of the key in each slot; 0 marks an empty slot. The count is a
    /// power of two and at least twice the number of keys.
    private var slots: [Int32] = [Int32](repeating: 0, count: 64)
    /// The index in `keys` of each key, once a probe ran too long (``probeLimit``).
    private var byName: [KeyBytes: Int32]?

    /// The keys' ranges, in document order.
    var ranges: [ByteRange] {
        keys.map { ByteRange(start: Int($0.start), end: Int($0.start) + Int($0.length)) }
    }

    /// Adds a key known not to be in the table.
    func add(start: Int, length: Int, in buffer: UnsafeBufferPointer<UInt8>) {
        // The same probe as any insert (and its limit); a known new key finds no equal.
        _ = insert(start: start, length: length, in: buffer)
    }

    /// Adds the key at `start` unless an equal key is there; returns the earlier key's range.
    func insert(start: Int, length: Int, in buffer: UnsafeBufferPointer<UInt8>) -> ByteRange? {
        if byName != nil { return insertByName(start: start, length: length, in: buffer) }
        let hash = Self.hash(buffer, start: start, length: length)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        var probes = 0
        while slots[slot] != 0 {
            let earlier = keys[Int(slots[slot]) - 1]
            if earlier.hash == hash, Int(earlier.length) == length,
                KeyTracker.equal(buffer, Int(earlier.start), start, length: length)
            {
                return ByteRange(start: Int(earlier.start), end: Int(earlier.start) + length)
            }
            slot = (slot + 1) & mask
            probes += 1
            if probes > Self.probeLimit {
                moveToDictionary(buffer)
                return insertByName(start: start, length: length, in: buffer)
            }
        }
        append(start: start, length: length, hash: hash, slot: slot)
        return nil
    }

    /// The longest probe the table allows before it hands its keys to a `Dictionary`.
    /// Keys of a real config spread over the table and probe a few slots; a run this long
    /// means keys made to collide.
    static let probeLimit = 64

    /// Whether the keys moved to the `Dictionary` (for tests).
    var hasMovedToDictionary: Bool { byName != nil }

    /// From now on, looks keys up in a `Dictionary`: its hashing is seeded per process, so
    /// that no text can be written to make its keys collide, as text can for the fast
    /// hash above (a repository is untrusted, and a crafted `services` object would
    /// otherwise make the parse quadratic).
    private func moveToDictionary(_ buffer: UnsafeBufferPointer<UInt8>) {
        var map: [KeyBytes: Int32] = [:]
        map.reserveCapacity(keys.count * 2)
        for (index, key) in keys.enumerated() {
            map[KeyBytes(buffer, start: Int(key.start), length: Int(key.length))] = Int32(truncatingIfNeeded: index)
        }
        byName = map
        slots = []
    }

    private func insertByName(start: Int, length: Int, in buffer: UnsafeBufferPointer<UInt8>) -> ByteRange? {
        let key = KeyBytes(buffer, start: start, length: length)
        if let index = byName?[key] {
            let earlier = keys[Int(index)]
            return ByteRange(start: Int(earlier.start), end: Int(earlier.start) + length)
        }
        byName?[key] = Int32(truncatingIfNeeded: keys.count)
        keys.append((Int32(truncatingIfNeeded: start), Int32(truncatingIfNeeded: length), 0))
        return nil
    }

    private func append(start: Int, length: Int, hash: UInt32, slot: Int) {
        keys.append((Int32(truncatingIfNeeded: start), Int32(truncatingIfNeeded: length), hash))
        slots[slot] = Int32(truncatingIfNeeded: keys.count)
        if keys.count * 2 > slots.count { grow() }
    }

    /// Doubles the table and puts every key back in it.
    private func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: index + 1)
        }
    }

    /// A hash of all the key's bytes, eight at a time, so that keys that differ only in
    /// their middle (`/api/v1/a/items`, `/api/v1/b/items`) still spread over the table;
    /// seeded per process (``HashSeed``).
    static func hash(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, length: Int) -> UInt32 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = HashSeed.value ^ (UInt64(truncatingIfNeeded: length) &* multiplier)
        var offset = 0
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            while offset + 8 <= length {
                let word = raw.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self)
                hash = Self.round(hash, word, multiplier)
                offset += 8
            }
        }
        if offset < length {
            // The last bytes as one word.
            var word: UInt64 = 0
            while offset < length {
                word = word << 8 | UInt64(buffer[start + offset])
                offset += 1
            }
            hash = Self.round(hash, word, multiplier)
        }
        // Every bit of the result depends on every bit of the state: keys such as `svc-1000`
        // to `svc-2409` differ only in their last bytes, the high bits of their one word, and
        // without this they filled a few slots of the table.
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return UInt32(truncatingIfNeeded: hash)
    }

    /// One word into the state: a multiply spreads it upward, the rotation brings the high
    /// bits back down for the next word.
    @inline(__always)
    private static func round(_ hash: UInt64, _ word: UInt64, _ multiplier: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* multiplier
        return mixed << 27 | mixed >> 37
    }
}

/// A key's bytes in the source, hashed and compared by content, for ``LargeKeys``'s
/// `Dictionary`. Valid only while the parse keeps the source's buffer alive.
private struct KeyBytes: Hashable {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, length: Int) {
        bytes = UnsafeBufferPointer(rebasing: buffer[start..<(start + length)])
    }

    static func == (lhs: KeyBytes, rhs: KeyBytes) -> Bool {
        lhs.bytes.count == rhs.bytes.count && lhs.bytes.elementsEqual(rhs.bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
    }
}
