/// A name as a hash key: equal to another when their UTF-8 bytes are equal, and hashed from
/// those bytes.
///
/// `String`'s own equality and hashing go by canonical equivalence, so a `Dictionary` keyed by
/// `String` links the standard library's Unicode normalization tables into the edge router's
/// module (docs/edge.md, "What is left"). The names the router keys by (services, endpoint
/// ids, header names, geo codes, capture names) are compared byte for byte anyway: JSON
/// compares member names that way (RFC 8259, section 8.3), and so do HTTP and JavaScript. The
/// two agree on every name in NFC, which is every ASCII name.
public struct NameKey: Hashable, Sendable, CustomStringConvertible {
    /// The name.
    public let name: String

    /// The key of `name`.
    @inlinable
    public init(_ name: String) {
        self.name = name
    }

    @inlinable
    public static func == (lhs: NameKey, rhs: NameKey) -> Bool {
        lhs.name.hasSameBytes(as: rhs.name)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        name.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        // The length ends the bytes, as String's own hashing ends them, so that a map of
        // maps keyed by pieces of one text does not collide on how the text is cut.
        hasher.combine(name.utf8.count)
    }

    public var description: String { name }
}

/// A dictionary from names to values whose keys compare byte for byte (``NameKey``), with the
/// interface of a `[String: Value]` the router needs: subscripts by name, with and without a
/// default, iteration as `(key, value)` pairs in no particular order, and literals.
public struct NameMap<Value> {
    @usableFromInline
    var storage: [NameKey: Value]

    /// An empty map.
    @inlinable
    public init() {
        storage = [:]
    }

    /// The value of `name`, or nil; setting nil removes it.
    @inlinable
    public subscript(name: String) -> Value? {
        get { storage[NameKey(name)] }
        set { storage[NameKey(name)] = newValue }
    }

    /// The value of `name`, or `defaultValue` when it has none; changed in place, so a map of
    /// maps grows without copying the inner one.
    @inlinable
    public subscript(name: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { storage[NameKey(name), default: defaultValue()] }
        _modify { yield &storage[NameKey(name), default: defaultValue()] }
    }

    /// How many names have a value.
    @inlinable
    public var count: Int { storage.count }

    /// Whether no name has a value.
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    /// The names, in no particular order.
    @inlinable
    public var keys: [String] { storage.keys.map { $0.name } }

    /// The values, in no particular order.
    @inlinable
    public var values: [Value] { Array(storage.values) }

    /// Makes room for `capacity` names without growing again.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        storage.reserveCapacity(capacity)
    }

    /// Removes `name` and answers its value, if it had one.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey name: String) -> Value? {
        storage.removeValue(forKey: NameKey(name))
    }

    /// The map with each value transformed, under the same names.
    @inlinable
    public func mapValues<Other>(_ transform: (Value) -> Other) -> NameMap<Other> {
        var result = NameMap<Other>()
        result.storage = storage.mapValues(transform)
        return result
    }
}

extension NameMap: Sequence {
    public typealias Element = (key: String, value: Value)

    public struct Iterator: IteratorProtocol {
        @usableFromInline
        var base: Dictionary<NameKey, Value>.Iterator

        @inlinable
        init(base: Dictionary<NameKey, Value>.Iterator) {
            self.base = base
        }

        @inlinable
        public mutating func next() -> (key: String, value: Value)? {
            base.next().map { (key: $0.key.name, value: $0.value) }
        }
    }

    @inlinable
    public func makeIterator() -> Iterator {
        Iterator(base: storage.makeIterator())
    }

    @inlinable
    public var underestimatedCount: Int { storage.count }
}

extension NameMap: ExpressibleByDictionaryLiteral {
    /// A map of the pairs; a name written twice keeps its last value.
    @inlinable
    public init(dictionaryLiteral elements: (String, Value)...) {
        storage = [:]
        storage.reserveCapacity(elements.count)
        for (name, value) in elements { storage[NameKey(name)] = value }
    }
}

extension NameMap: Equatable where Value: Equatable {}
extension NameMap: Hashable where Value: Hashable {}
extension NameMap: Sendable where Value: Sendable {}

/// A set of names that compare byte for byte (``NameKey``).
public struct NameSet: Hashable, Sendable {
    @usableFromInline
    var storage: Set<NameKey>

    /// The set of `names`.
    @inlinable
    public init<Names: Sequence>(_ names: Names) where Names.Element == String {
        storage = Set(names.lazy.map(NameKey.init))
    }

    /// Whether `name` is in the set.
    @inlinable
    public func contains(_ name: String) -> Bool {
        storage.contains(NameKey(name))
    }

    /// Adds `name`; answers whether it was new.
    @inlinable
    @discardableResult
    public mutating func insert(_ name: String) -> Bool {
        storage.insert(NameKey(name)).inserted
    }

    /// Whether the two sets have no name in common.
    @inlinable
    public func isDisjoint(with other: NameSet) -> Bool {
        storage.isDisjoint(with: other.storage)
    }

    /// Whether every name of this set is in `other`.
    @inlinable
    public func isSubset(of other: NameSet) -> Bool {
        storage.isSubset(of: other.storage)
    }

    /// How many names the set holds.
    @inlinable
    public var count: Int { storage.count }

    /// Whether the set is empty.
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }
}

extension NameSet: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral names: String...) {
        self.init(names)
    }
}

extension NameSet: Sequence {
    @inlinable
    public func makeIterator() -> LazyMapSequence<Set<NameKey>, String>.Iterator {
        storage.lazy.map { $0.name }.makeIterator()
    }
}
