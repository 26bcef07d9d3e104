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

/// The slots of names in a ``NameMap`` or ``NameSet``: each name's position in the array
/// beside it.
///
/// Every map and set of names shares this one dictionary type, `[NameKey: Int]`, whatever its
/// values: generic code is specialized for each type it is used with in the edge router's
/// module (Embedded Swift has no unspecialized generics), and a `[NameKey: Value]` for each
/// value type was 20 KB of the module's code (docs/edge.md, "Size").
@usableFromInline
typealias NameSlots = [NameKey: Int]

extension NameSlots {
    /// The slot of `key`, which becomes `next` when the key had none: one hash lookup for
    /// both, through the default subscript's in-place access.
    @inlinable
    mutating func claim(_ key: NameKey, next: Int) -> Int {
        Self.settled(&self[key, default: next])
    }

    @inlinable
    static func settled(_ slot: inout Int) -> Int { slot }
}

/// A dictionary from names to values whose keys compare byte for byte (``NameKey``), with the
/// interface of a `[String: Value]` the router needs: subscripts by name, with and without a
/// default, iteration as `(key, value)` pairs, and literals.
///
/// The pairs live in an array in the order their names were first set (removing one moves
/// the last into its place), and a ``NameSlots`` dictionary finds a name's position: one
/// hash lookup and an array index, as a `Dictionary` does, with the dictionary's code shared
/// by every value type.
public struct NameMap<Value> {
    @usableFromInline
    var slots: NameSlots
    @usableFromInline
    var pairs: [(key: String, value: Value)]

    /// An empty map.
    @inlinable
    public init() {
        slots = [:]
        pairs = []
    }

    /// The value of `name`, or nil; setting nil removes it.
    @inlinable
    public subscript(name: String) -> Value? {
        get { slots[NameKey(name)].map { pairs[$0].value } }
        set {
            guard let newValue else {
                removeValue(forKey: name)
                return
            }
            let found = slot(of: name, making: newValue)
            if !found.appended { pairs[found.index].value = newValue }
        }
    }

    /// The value of `name`, or `defaultValue` when it has none; changed in place, so a map of
    /// maps grows without copying the inner one.
    @inlinable
    public subscript(name: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { slots[NameKey(name)].map { pairs[$0].value } ?? defaultValue() }
        _modify {
            let index = slot(of: name, making: defaultValue()).index
            yield &pairs[index].value
        }
    }

    /// The position of `name`'s pair, appended with `value` when the name had none (then
    /// `appended` is true); one hash lookup either way.
    @inlinable @inline(__always)
    mutating func slot(of name: String, making value: @autoclosure () -> Value) -> (index: Int, appended: Bool) {
        let next = pairs.count
        let index = slots.claim(NameKey(name), next: next)
        guard index == next else { return (index, false) }
        pairs.append((key: name, value: value()))
        return (index, true)
    }

    /// How many names have a value.
    @inlinable
    public var count: Int { pairs.count }

    /// Whether no name has a value.
    @inlinable
    public var isEmpty: Bool { pairs.isEmpty }

    /// The names, in the map's order.
    @inlinable
    public var keys: [String] { pairs.map { $0.key } }

    /// The values, in the map's order.
    @inlinable
    public var values: [Value] { pairs.map { $0.value } }

    /// Makes room for `capacity` names without growing again.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        slots.reserveCapacity(capacity)
        pairs.reserveCapacity(capacity)
    }

    /// Removes `name` and answers its value, if it had one. The last name takes its place.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey name: String) -> Value? {
        guard let index = slots.removeValue(forKey: NameKey(name)) else { return nil }
        let last = pairs.count - 1
        if index != last {
            pairs.swapAt(index, last)
            slots[NameKey(pairs[index].key)] = index
        }
        return pairs.removeLast().value
    }

    /// The map with each value transformed, under the same names.
    @inlinable
    public func mapValues<Other>(_ transform: (Value) -> Other) -> NameMap<Other> {
        var result = NameMap<Other>()
        result.slots = slots
        result.pairs = pairs.map { (key: $0.key, value: transform($0.value)) }
        return result
    }
}

extension NameMap: Sequence {
    public typealias Element = (key: String, value: Value)

    @inlinable
    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
        pairs.makeIterator()
    }

    @inlinable
    public var underestimatedCount: Int { pairs.count }
}

extension NameMap: ExpressibleByDictionaryLiteral {
    /// A map of the pairs; a name written twice keeps its last value, in its first place.
    // Always inlined: most literals are `[:]`, which then cost nothing, where a call made the
    // wasm module carry this loop once per value type, 1 KB each (1.9 KB of the gzipped
    // module; docs/edge.md).
    @inlinable @inline(__always)
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init()
        guard !elements.isEmpty else { return }
        reserveCapacity(elements.count)
        for (name, value) in elements { self[name] = value }
    }
}

/// Two maps are equal when they hold the same names with equal values, in any order.
extension NameMap: Equatable where Value: Equatable {
    @inlinable
    public static func == (lhs: NameMap, rhs: NameMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (name, value) in lhs.pairs {
            guard let other = rhs.slots[NameKey(name)], rhs.pairs[other].value == value else { return false }
        }
        return true
    }
}

/// The hash does not depend on the order, as equality does not: each pair is hashed on its own
/// and the results combined by exclusive or, as `Dictionary` combines its elements.
extension NameMap: Hashable where Value: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (name, value) in pairs {
            var pair = Hasher()
            pair.combine(NameKey(name))
            pair.combine(value)
            combined ^= pair.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension NameMap: Sendable where Value: Sendable {}

/// A set of names that compare byte for byte (``NameKey``), in the order they were inserted.
public struct NameSet: Hashable, Sendable {
    @usableFromInline
    var slots: NameSlots
    @usableFromInline
    var names: [String]

    /// An empty set.
    @inlinable
    public init() {
        slots = [:]
        names = []
    }

    /// The set of `names`.
    @inlinable
    public init<Names: Sequence>(_ names: Names) where Names.Element == String {
        self.init()
        for name in names { insert(name) }
    }

    /// Whether `name` is in the set.
    @inlinable
    public func contains(_ name: String) -> Bool {
        slots[NameKey(name)] != nil
    }

    /// Adds `name`; answers whether it was new.
    @inlinable
    @discardableResult
    public mutating func insert(_ name: String) -> Bool {
        let next = names.count
        guard slots.claim(NameKey(name), next: next) == next else { return false }
        names.append(name)
        return true
    }

    /// Whether the two sets have no name in common.
    @inlinable
    public func isDisjoint(with other: NameSet) -> Bool {
        !names.contains { other.contains($0) }
    }

    /// Whether every name of this set is in `other`.
    @inlinable
    public func isSubset(of other: NameSet) -> Bool {
        count <= other.count && names.allSatisfy { other.contains($0) }
    }

    /// How many names the set holds.
    @inlinable
    public var count: Int { names.count }

    /// Whether the set is empty.
    @inlinable
    public var isEmpty: Bool { names.isEmpty }

    /// Two sets are equal when they hold the same names, in any order.
    @inlinable
    public static func == (lhs: NameSet, rhs: NameSet) -> Bool {
        lhs.count == rhs.count && lhs.isSubset(of: rhs)
    }

    /// The hash does not depend on the order, as equality does not (``NameMap``'s hash).
    @inlinable
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for name in names {
            var one = Hasher()
            one.combine(NameKey(name))
            combined ^= one.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension NameSet: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral names: String...) {
        self.init(names)
    }
}

extension NameSet: Sequence {
    @inlinable
    public func makeIterator() -> IndexingIterator<[String]> {
        names.makeIterator()
    }
}
