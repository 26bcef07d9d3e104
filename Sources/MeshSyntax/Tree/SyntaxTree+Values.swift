/// One `"key": value` pair of an object, with its key decoded.
public struct ObjectMember: Sendable, Hashable {
    /// The `.member` node.
    public let node: NodeID
    /// The key node (a `.string`, or `.error` for an unquoted key).
    public let key: NodeID
    /// The decoded key.
    public let name: String
    /// The value node; nil when the value is missing (`"a": }`).
    public let value: NodeID?

    /// Creates a member description.
    public init(node: NodeID, key: NodeID, name: String, value: NodeID?) {
        self.node = node
        self.key = key
        self.name = name
        self.value = value
    }
}

extension SyntaxTree {
    /// The members of an object node whose key is a string, in document order.
    /// Duplicate keys are all returned; the model keeps the last, as the spec says.
    public func members(of object: NodeID) -> [ObjectMember] {
        guard kind(object) == .object else { return [] }
        var result: [ObjectMember] = []
        for member in children(object) where kind(member) == .member {
            guard let key = firstChild(of: member), kind(key) == .string, let name = string(key) else { continue }
            result.append(ObjectMember(node: member, key: key, name: name, value: nextSibling(of: key)))
        }
        return result
    }

    /// The last member named `name` of an object, as a model reads it. Keys are compared
    /// as ``lastValue(named:in:)`` compares them, so no other key is decoded.
    public func member(_ name: String, of object: NodeID) -> ObjectMember? {
        lastMember(named: name, in: object).map { found in
            ObjectMember(node: found.member, key: found.key, name: name, value: nextSibling(of: found.key))
        }
    }

    /// The elements of an array node, error nodes excluded.
    public func elements(of array: NodeID) -> [NodeID] {
        guard kind(array) == .array else { return [] }
        return children(array).filter { kind($0) != .error }
    }

    /// The decoded value of a `.string` node (escapes resolved; a lone surrogate escape
    /// becomes U+FFFD), or nil for any other node.
    public func string(_ node: NodeID) -> String? {
        guard kind(node) == .string else { return nil }
        let range = range(node)
        return source.bytes.withUnsafeBufferPointer { buffer in
            StringDecoding.decode(buffer, range: range)
        }
    }

    /// The value of a `.number` node as a double, or nil for any other node or an invalid number.
    public func number(_ node: NodeID) -> Double? {
        guard kind(node) == .number else { return nil }
        let range = range(node)
        return source.bytes.withUnsafeBufferPointer { buffer in
            JSONNumber.value(ofToken: UnsafeBufferPointer(rebasing: buffer[range.start..<range.end]))
        }
    }

    /// The value of a `.number` node when it is a whole number (`3`, `3.0` and `3e2` are
    /// whole; JSON Schema's `integer` agrees) below 2^53, where a `Double` still holds every
    /// whole number.
    public func wholeNumber(_ node: NodeID) -> Double? {
        guard let value = number(node), value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return value
    }

    /// ``wholeNumber(_:)`` as an `Int`, when it fits. `Int` is 32 bits wide on wasm32, so a
    /// larger whole number is nil there, not a trap.
    public func integer(_ node: NodeID) -> Int? {
        guard kind(node) == .number else { return nil }
        if let whole = plainInteger(node) { return whole }
        return wholeNumber(node).flatMap { Int(exactly: $0) }
    }

    /// The value of a number node written as plain digits (`0`, `-12`, `5000`) of at most
    /// ``JSONNumber/plainDigitLimit`` digits, read from its bytes; nil for any other
    /// spelling, which the caller reads through the full number grammar.
    ///
    /// Most numbers of a config are such integers, and reading them as text (a string
    /// made, checked against the grammar, then converted by `strtod`) cost more than the
    /// rest of modelling them. Up to 15 digits a `Double` holds the value exactly, so the
    /// answer is the one the full reading gives; `-0` is left to it for its sign.
    func plainInteger(_ node: NodeID) -> Int? {
        let range = range(node)
        return source.bytes.withUnsafeBufferPointer { buffer in
            JSONNumber.plainInteger(UnsafeBufferPointer(rebasing: buffer[range.start..<range.end]))
        }
    }

    /// The value of a boolean node, or nil for any other node.
    public func bool(_ node: NodeID) -> Bool? {
        switch kind(node) {
        case .trueLiteral: true
        case .falseLiteral: false
        default: nil
        }
    }

    /// The deepest node whose range contains `offset`.
    public func node(at offset: Int) -> NodeID {
        var current = root
        descend: while true {
            for child in children(current) {
                let childRange = range(child)
                if childRange.start <= offset, offset <= childRange.end {
                    current = child
                    continue descend
                }
                if childRange.start > offset { break }
            }
            return current
        }
    }

    /// The chain of keys and indices from the document to `node` (`services`, `api`, `endpoints`, `0`).
    public func path(to node: NodeID) -> [PathComponent] {
        var components: [PathComponent] = []
        var current = node
        while let parent = parent(current) {
            switch kind(parent) {
            case .member:
                if let key = firstChild(of: parent), let name = string(key) { components.append(.key(name)) }
            case .array:
                if let index = elements(of: parent).firstIndex(of: current) { components.append(.index(index)) }
            default:
                break
            }
            current = parent
        }
        return components.reversed()
    }
}

/// One step of a path into a document.
public enum PathComponent: Hashable, Sendable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let name): name
        case .index(let index): "[\(index)]"
        }
    }
}

extension NumberSyntax {
    static func isValid(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { problem(in: $0) == nil }
    }
}

extension SyntaxTree {
    /// The value of the last member named `key` of an object, without decoding any key
    /// that cannot match: keys are compared as raw bytes first and decoded only when
    /// they contain an escape. This is the model builder's hot path.
    public func lastValue(named key: String, in object: NodeID) -> NodeID? {
        lastMember(named: key, in: object).flatMap { nextSibling(of: $0.key) }
    }

    /// The last member named `key` of an object, with its key node.
    private func lastMember(named key: String, in object: NodeID) -> (member: NodeID, key: NodeID)? {
        guard kind(object) == .object else { return nil }
        var found: (member: NodeID, key: NodeID)?
        var key = key
        key.withUTF8 { wanted in
            source.bytes.withUnsafeBufferPointer { buffer in
                for member in children(object) where kind(member) == .member {
                    guard let keyNode = firstChild(of: member), kind(keyNode) == .string else { continue }
                    let range = range(keyNode)
                    let bodyStart = range.start + 1
                    let bodyEnd =
                        range.end > bodyStart && buffer[range.end - 1] == UInt8(ascii: "\"") ? range.end - 1 : range.end
                    let body = UnsafeBufferPointer(rebasing: buffer[bodyStart..<max(bodyStart, bodyEnd)])
                    let matches: Bool
                    if body.count == wanted.count, memcmpEqual(body, wanted) {
                        matches = true
                    } else if body.contains(UInt8(ascii: "\\")) {
                        matches = StringDecoding.decode(buffer, range: range).utf8.elementsEqual(wanted)
                    } else {
                        matches = false
                    }
                    if matches { found = (member, keyNode) }
                }
            }
        }
        return found
    }
}

@inline(__always)
private func memcmpEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    for index in 0..<lhs.count where lhs[index] != rhs[index] {
        return false
    }
    return true
}

extension SyntaxTree {
    /// The position in `names` of the name a `.string` key node spells, compared on raw
    /// bytes (a key with escapes is decoded first); nil when it is none of them.
    public func index(ofKey key: NodeID, among names: [[UInt8]]) -> Int? {
        guard kind(key) == .string else { return nil }
        let range = range(key)
        return source.bytes.withUnsafeBufferPointer { buffer -> Int? in
            Self.index(ofKeyAt: range, in: buffer, among: names)
        }
    }

    /// Calls `body` for each member of `object` whose key is one of `names` (compared as
    /// ``index(ofKey:among:)`` compares them), in document order, with the key's position in
    /// `names` and the member's value (nil when it is missing). A model that keeps the last
    /// of duplicate keys assigns in `body`: the last call for a name is the last member.
    ///
    /// One pass reads every field of an object: looking each field up by name scanned the
    /// members once per field, and the text and tree were retained and released each time.
    public func forEachMember(of object: NodeID, among names: [[UInt8]], _ body: (Int, NodeID?) -> Void) {
        guard kind(object) == .object else { return }
        source.bytes.withUnsafeBufferPointer { buffer in
            for member in children(object) where kind(member) == .member {
                guard let key = firstChild(of: member), kind(key) == .string,
                    let index = Self.index(ofKeyAt: range(key), in: buffer, among: names)
                else { continue }
                body(index, nextSibling(of: key))
            }
        }
    }

    /// The position in `names` of the `.string` key whose bytes (quotes included) are
    /// `range` of `buffer`.
    private static func index(ofKeyAt range: ByteRange, in buffer: UnsafeBufferPointer<UInt8>, among names: [[UInt8]])
        -> Int?
    {
        let bodyStart = range.start + 1
        let bodyEnd = range.end > bodyStart && buffer[range.end - 1] == UInt8(ascii: "\"") ? range.end - 1 : range.end
        let body = UnsafeBufferPointer(rebasing: buffer[bodyStart..<max(bodyStart, bodyEnd)])
        if body.contains(UInt8(ascii: "\\")) {
            let decoded = Array(StringDecoding.decode(buffer, range: range).utf8)
            return names.firstIndex(of: decoded)
        }
        for (index, name) in names.enumerated() where name.count == body.count {
            if name.withUnsafeBufferPointer({ memcmpEqual(body, $0) }) { return index }
        }
        return nil
    }
}
