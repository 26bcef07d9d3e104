/// The finite automata behind ``PatternInclusion``: one per path pattern, one for the
/// shape of a normalized path, all over a small abstract alphabet, and a breadth-first
/// search over their product.
///
/// Why an abstract alphabet is exact: two patterns only ever compare path bytes with the
/// bytes of their literals and with `/`. Every other byte behaves the same in both, so one
/// representative ("OTHER") stands for all of them. The representative is chosen *neutral*
/// for path normalization as well (not `.`, `%`, `2`, `e`, `E`, nor a byte that would be
/// percent-encoded), so replacing any OTHER-class byte of a path by it keeps the path in
/// both languages and keeps a normalized path normalized: a counterexample or witness
/// exists over all bytes exactly when one exists over the abstract alphabet.
struct PathAlphabet {
    /// The representative byte of each symbol, in the order the search tries them: OTHER
    /// first (so witnesses read `/api/x`), then `/`, then the literal bytes.
    let symbols: [UInt8]

    /// The preferred readable stand-ins for "any other byte", most readable first.
    static let neutralPreference: [UInt8] = Array(
        "xyzabcdfghijklmnopqrstuvwABCDFGHIJKLMNOPQRSTUVWXYZ013456789-_~!$&'()*+,;=:@|^[]".utf8)

    /// The alphabet for patterns whose literals use `literalBytes`.
    init(literalBytes: Set<UInt8>) {
        var symbols: [UInt8] = []
        if let other = Self.neutralPreference.first(where: { !literalBytes.contains($0) }) {
            symbols.append(other)
        } else {
            // Every neutral byte is a literal (a pathological table): list the remaining
            // valid bytes one by one instead, which is exact without a representative.
            for byte in UInt8(0x21)...UInt8(0x7E)
            where !literalBytes.contains(byte) && byte != UInt8(ascii: "/") && PathShape.isValid(byte) {
                symbols.append(byte)
            }
        }
        symbols.append(UInt8(ascii: "/"))
        symbols.append(contentsOf: literalBytes.subtracting([UInt8(ascii: "/")]).sorted())
        self.symbols = symbols
    }

    /// The alphabet for a set of patterns.
    init(patterns: [PathPattern]) {
        var bytes = Set<UInt8>()
        for pattern in patterns {
            for case .literal(let literal) in pattern.items { bytes.formUnion(literal) }
        }
        self.init(literalBytes: bytes)
    }
}

/// A deterministic automaton over a ``PathAlphabet``, as flat transition and accept tables.
struct PathDFA {
    /// `transitions[state * symbolCount + symbol]`.
    let transitions: [Int32]
    let accepting: [Bool]
    /// States from which no word is accepted (pruned by searches).
    let dead: [Bool]
    let symbolCount: Int

    @inline(__always)
    func next(_ state: Int32, _ symbol: Int) -> Int32 { transitions[Int(state) * symbolCount + symbol] }
}

/// The nondeterministic automaton of one pattern, determinized for an alphabet.
///
/// Atoms: a literal byte, "one non-`/` byte", "any number of non-`/` bytes" and "any
/// number of any bytes". A segment item is the second followed by the third; a trailing
/// `*` is the fourth. Position `p` means "atoms `0..<p` are consumed".
enum PatternNFA {
    enum Atom: Equatable {
        case byte(UInt8)
        case nonSlash
        case nonSlashStar
        case anyStar

        var isStar: Bool { self == .nonSlashStar || self == .anyStar }
    }

    static func atoms(of pattern: PathPattern) -> [Atom] {
        var atoms: [Atom] = []
        for item in pattern.items {
            switch item {
            case .literal(let bytes): atoms.append(contentsOf: bytes.map(Atom.byte))
            case .segment: atoms.append(contentsOf: [.nonSlash, .nonSlashStar])
            case .rest: atoms.append(.anyStar)
            }
        }
        return atoms
    }

    /// Subset construction with position sets as bit sets, stepped bit-parallel: for a
    /// symbol, the positions that advance are `(set & advances) << 1` and those that stay
    /// are `set & loops`. Patterns compile to nearly deterministic automata (a segment
    /// cannot contain `/`, and `*` can only be last), so the result has about as many
    /// states as the pattern has atoms.
    static func determinize(_ pattern: PathPattern, over alphabet: PathAlphabet) -> PathDFA {
        let atoms = atoms(of: pattern)
        let width = (atoms.count + 1 + 63) / 64
        let slash = UInt8(ascii: "/")
        var stars = PositionSet(width: width)
        for (position, atom) in atoms.enumerated() where atom.isStar { stars.insert(position) }
        // Per symbol: the positions whose atom consumes it and moves on, and those whose
        // atom consumes it and stays.
        let steps: [(advances: PositionSet, loops: PositionSet)] = alphabet.symbols.map { byte in
            var advances = PositionSet(width: width)
            var loops = PositionSet(width: width)
            for (position, atom) in atoms.enumerated() {
                switch atom {
                case .byte(let expected): if byte == expected { advances.insert(position) }
                case .nonSlash: if byte != slash { advances.insert(position) }
                case .nonSlashStar: if byte != slash { loops.insert(position) }
                case .anyStar: loops.insert(position)
                }
            }
            return (advances, loops)
        }
        var start = PositionSet(width: width)
        start.insert(0)
        start.close(over: stars)
        var index: [PositionSet: Int32] = [start: 0]
        var sets = [start]
        var transitions: [Int32] = []
        var cursor = 0
        while cursor < sets.count {
            let current = sets[cursor]
            cursor += 1
            for step in steps {
                var next = current.intersection(step.advances).shiftedUp()
                next.formUnion(current.intersection(step.loops))
                next.close(over: stars)
                if let known = index[next] {
                    transitions.append(known)
                } else {
                    let id = Int32(sets.count)
                    index[next] = id
                    sets.append(next)
                    transitions.append(id)
                }
            }
        }
        return PathDFA(
            transitions: transitions, accepting: sets.map { $0.contains(atoms.count) },
            dead: sets.map { $0.isEmpty }, symbolCount: alphabet.symbols.count)
    }
}

/// A set of NFA positions as bits.
///
/// The first 128 positions (every realistic pattern: a position is a byte of a literal)
/// live inline, so the subset construction's many set operations allocate nothing; longer
/// patterns keep their further words in `more`, which is otherwise empty.
struct PositionSet: Hashable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var more: [UInt64]

    /// An empty set able to hold `width` x 64 positions.
    init(width: Int) { more = width > 2 ? Array(repeating: 0, count: width - 2) : [] }

    var isEmpty: Bool { low == 0 && high == 0 && more.allSatisfy { $0 == 0 } }

    func contains(_ position: Int) -> Bool { word(position >> 6) & (1 << UInt64(position & 63)) != 0 }

    mutating func insert(_ position: Int) {
        let bit: UInt64 = 1 << UInt64(position & 63)
        switch position >> 6 {
        case 0: low |= bit
        case 1: high |= bit
        case let index: more[index - 2] |= bit
        }
    }

    func intersection(_ other: PositionSet) -> PositionSet {
        var result = self
        result.low &= other.low
        result.high &= other.high
        for index in more.indices { result.more[index] &= other.more[index] }
        return result
    }

    mutating func formUnion(_ other: PositionSet) {
        low |= other.low
        high |= other.high
        for index in more.indices { more[index] |= other.more[index] }
    }

    /// Every position moved one up (position p becomes p + 1).
    func shiftedUp() -> PositionSet {
        var result = self
        result.low = low << 1
        result.high = (high << 1) | (low >> 63)
        var carry = high >> 63
        for index in more.indices {
            result.more[index] = (more[index] << 1) | carry
            carry = more[index] >> 63
        }
        return result
    }

    /// Adds the positions reachable without reading: past each star, repeatedly.
    mutating func close(over stars: PositionSet) {
        while true {
            var grown = intersection(stars).shiftedUp()
            grown.formUnion(self)
            if grown == self { return }
            self = grown
        }
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: low
        case 1: high
        default: more[index - 2]
        }
    }
}
