import MeshSyntax

/// The paths the router can ever see: what `PathNormalizer` produces. No segment is a dot
/// segment (`.`, `..`, or one written with `%2e`), and no byte is one the normalizer would
/// percent-encode or turn into `/`. A pattern that only matches other paths never matches.
enum PathShape {
    /// The dot segments, lower-cased.
    static let dotSegments = [".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"]

    static func isValid(_ byte: UInt8) -> Bool {
        !PathNormalizer.needsEncoding(byte) && byte != UInt8(ascii: "\\")
    }

    /// A DFA whose state is "the current segment so far, while it is a prefix of a dot
    /// segment", "some other segment", or dead, restricted to `alphabet`.
    static func dfa(over alphabet: PathAlphabet) -> PathDFA {
        var transitions: [Int32] = []
        transitions.reserveCapacity(byteTable.stateCount * alphabet.symbols.count)
        for state in 0..<byteTable.stateCount {
            for byte in alphabet.symbols { transitions.append(byteTable.transitions[state * 256 + Int(byte)]) }
        }
        return PathDFA(
            transitions: transitions, accepting: byteTable.accepting, dead: byteTable.dead,
            symbolCount: alphabet.symbols.count)
    }

    /// The automaton over all 256 bytes, built once: shadow analysis restricts it to a new
    /// alphabet for every pair of patterns it compares.
    static let byteTable = ByteTable()

    struct ByteTable: Sendable {
        let stateCount: Int
        /// `transitions[state * 256 + byte]`.
        let transitions: [Int32]
        let accepting: [Bool]
        let dead: [Bool]

        init() {
            var prefixes: [String] = []
            for segment in PathShape.dotSegments {
                for length in 0...segment.count {
                    let prefix = String(segment.prefix(length))
                    if !prefixes.contains(prefix) { prefixes.append(prefix) }
                }
            }
            let other = Int32(prefixes.count)
            let dead = other + 1
            func isDotSegment(_ state: Int32) -> Bool {
                state < other && PathShape.dotSegments.contains(prefixes[Int(state)])
            }
            var transitions: [Int32] = []
            for state in 0...dead {
                for value in 0...255 {
                    let byte = UInt8(value)
                    if state == dead || !PathShape.isValid(byte) {
                        transitions.append(dead)
                    } else if byte == UInt8(ascii: "/") {
                        transitions.append(isDotSegment(state) ? dead : 0)
                    } else if state == other {
                        transitions.append(other)
                    } else {
                        let grown = prefixes[Int(state)] + String(UnicodeScalar(byte)).asciiLowercased
                        transitions.append(prefixes.firstIndex(of: grown).map { Int32($0) } ?? other)
                    }
                }
            }
            stateCount = Int(dead) + 1
            self.transitions = transitions
            accepting = (0...dead).map { $0 != dead && !isDotSegment($0) }
            self.dead = (0...dead).map { $0 == dead }
        }
    }
}
