/// An ordered JSON object.
///
/// Key order is kept because json-c keeps insertion order and humans read CLI output
/// and SARIF in the order it was written. A later duplicate key replaces the earlier
/// value in place, matching json-c's handling of `{"a":1,"a":2}`.
///
/// Equality and hashing take key order into account, so two objects with the same
/// members in a different order are not equal; that keeps `==` consistent with what
/// serialization produces.
public struct JSONObject: Sendable, Hashable {
    /// One member; a struct rather than a tuple so that the storage can be `Hashable`.
    fileprivate struct Entry: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    /// Members in insertion order; this is the source of truth for equality.
    private var entries: [Entry] = []
    /// Position of each key in `entries`, kept so lookups in large objects do not scan
    /// the members. Small objects (most wire and SARIF objects) skip it, because a short
    /// scan is cheaper than hashing and the dictionary's allocation.
    private var positions: [ExactKey: Int]?
    /// The member count above which `positions` is kept.
    private static let indexThreshold = 8

    /// Creates an empty object.
    public init() {}

    /// Creates an object from key-value pairs in order; a repeated key keeps its first
    /// position and takes the later value.
    public init(_ pairs: [(String, JSONValue)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// The value for `key`, or `nil` when absent. Assigning `nil` removes the member;
    /// assigning to an existing key replaces its value without moving it.
    ///
    /// Keys match by their exact UTF-8 bytes, as in json-c, rather than by Swift's
    /// canonical equivalence: `"é"` and `"e\u{301}"` are two different members.
    public subscript(key: String) -> JSONValue? {
        get {
            position(of: key).map { entries[$0].value }
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    remove(at: position)
                }
            } else if let newValue {
                positions?[ExactKey(key)] = entries.count
                entries.append(Entry(key: key, value: newValue))
                if positions == nil && entries.count > Self.indexThreshold {
                    // Keys are unique already; keeping the first is only a safe default.
                    positions = Dictionary(
                        entries.enumerated().map { (ExactKey($1.key), $0) }, uniquingKeysWith: { first, _ in first })
                }
            }
        }
    }

    /// Where `key` is stored, through the index when there is one.
    private func position(of key: String) -> Int? {
        if let positions {
            return positions[ExactKey(key)]
        }
        return entries.firstIndex { $0.key.utf8.elementsEqual(key.utf8) }
    }

    /// The keys in order.
    public var keys: [String] {
        entries.map(\.key)
    }

    /// The values in key order.
    public var values: [JSONValue] {
        entries.map(\.value)
    }

    /// The number of members.
    public var count: Int {
        entries.count
    }

    /// Whether the object has no members.
    public var isEmpty: Bool {
        entries.isEmpty
    }

    /// Removes the member at `position` and shifts the recorded positions of later members.
    private mutating func remove(at position: Int) {
        positions?[ExactKey(entries[position].key)] = nil
        entries.remove(at: position)
        guard positions != nil else { return }
        for later in position..<entries.count {
            positions?[ExactKey(entries[later].key)] = later
        }
    }

    /// Only `entries` takes part, because `positions` is derived from it.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries == rhs.entries
    }

    /// Only `entries` takes part, because `positions` is derived from it.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a dictionary literal, keeping the written key order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Sequence {
    /// Walks the members in key order.
    public struct Iterator: IteratorProtocol {
        /// The underlying walk over the stored members.
        fileprivate var base: IndexingIterator<[Entry]>

        /// The next member, or `nil` after the last one.
        public mutating func next() -> (key: String, value: JSONValue)? {
            base.next().map { (key: $0.key, value: $0.value) }
        }
    }

    /// An iterator over the members in key order.
    public func makeIterator() -> Iterator {
        Iterator(base: entries.makeIterator())
    }

    /// The exact member count, so `Array(object)` allocates once.
    public var underestimatedCount: Int {
        entries.count
    }
}

/// A key that compares and hashes by its UTF-8 bytes.
///
/// `String` equality treats canonically equivalent text as equal, which would merge
/// members that JSON (and json-c) keep apart.
private struct ExactKey: Hashable {
    let key: String

    init(_ key: String) {
        self.key = key
    }

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
        lhs.key.utf8.elementsEqual(rhs.key.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var key = key
        key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
