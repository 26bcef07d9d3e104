import Foundation
import MeshSyntax
import Testing

/// A small, fast, seedable generator (SplitMix64) so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension SyntaxTree {
    /// The error-severity diagnostics.
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Every node in document order (pre-order), for structural checks.
    var allNodes: [NodeID] {
        var result: [NodeID] = []
        var stack: [NodeID] = [root]
        while let node = stack.popLast() {
            result.append(node)
            stack.append(contentsOf: children(node).reversed())
        }
        return result
    }
}

extension Diagnostic {
    /// `DM101 error 3..<5: message` - the compact form used in failure messages.
    var summary: String { "\(code.rawValue) \(severity) \(range): \(message)" }
}

/// Runs `body` and returns how long it took, in seconds.
func measure<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    let duration = clock.now - start
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return (result, seconds)
}

/// The structural promises every tree keeps, whatever the input.
enum TreeInvariants {
    /// The bytes that may sit between tokens.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Every problem with `tree`, as sentences; empty when the tree keeps its promises:
    /// tokens plus whitespace gaps rebuild the source exactly, nodes nest (children
    /// inside parents, siblings in order, edges on token edges) and diagnostics point
    /// inside the document.
    static func problems(in tree: SyntaxTree) -> [String] {
        var problems: [String] = []
        let bytes = tree.source.bytes
        let count = bytes.count

        // Tokens and gaps.
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(count)
        var cursor = 0
        var tokenStarts = Set<Int>()
        var tokenEnds = Set<Int>()
        for (index, token) in tree.tokens.enumerated() {
            let range = token.range
            guard range.start >= cursor, range.end <= count, range.start <= range.end else {
                problems.append(
                    "token \(index) \(token.kind) \(range) overlaps or leaves the document (cursor \(cursor))")
                return problems
            }
            let gap = bytes[cursor..<range.start]
            let bom = cursor == 0 && gap.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            if !gap.dropFirst(bom).allSatisfy(isWhitespace) {
                problems.append("gap \(cursor)..<\(range.start) before token \(index) holds non-whitespace bytes")
            }
            rebuilt.append(contentsOf: gap)
            rebuilt.append(contentsOf: bytes[range.start..<range.end])
            if token.kind != .endOfInput && range.length == 0 {
                problems.append("token \(index) \(token.kind) is empty")
            }
            tokenStarts.insert(range.start)
            tokenEnds.insert(range.end)
            cursor = range.end
        }
        if tree.tokens.last?.kind != .endOfInput || tree.tokens.last?.range != ByteRange.empty(at: count) {
            problems.append("the last token is not an empty end-of-input token at \(count)")
        }
        if tree.tokens.dropLast().contains(where: { $0.kind == .endOfInput }) {
            problems.append("an end-of-input token appears before the end")
        }
        if rebuilt != bytes {
            problems.append("tokens and gaps rebuild \(rebuilt.count) bytes that differ from the \(count) source bytes")
        }

        // Nodes.
        if tree.kind(tree.root) != .document || tree.range(tree.root) != ByteRange(start: 0, end: count) {
            problems.append("the root is \(tree.kind(tree.root)) \(tree.range(tree.root)), not the whole document")
        }
        // Each node but the root is its parent's child exactly once: children are derived
        // from document order, so a node the walk skipped or visited twice would be lost.
        var childCount = 0
        for node in tree.allNodes {
            let range = tree.range(node)
            if node != tree.root {
                if !tokenStarts.contains(range.start) || !tokenEnds.contains(range.end) {
                    problems.append("\(tree.kind(node)) \(range) does not start and end on token edges")
                }
            }
            var previousEnd = range.start
            for child in tree.children(node) {
                childCount += 1
                let childRange = tree.range(child)
                if tree.parent(child) != node {
                    problems.append("\(tree.kind(child)) \(childRange) does not name its parent")
                }
                if childRange.start < previousEnd || childRange.end > range.end {
                    problems.append(
                        "\(tree.kind(child)) \(childRange) is not inside \(tree.kind(node)) \(range) after its "
                            + "previous sibling (ending \(previousEnd))"
                    )
                }
                previousEnd = max(previousEnd, childRange.end)
            }
            if tree.kind(node) == .member, let key = tree.firstChild(of: node),
                tree.kind(key) != .string && tree.kind(key) != .error
            {
                problems.append("member \(range) starts with a \(tree.kind(key)) instead of a key")
            }
        }

        if childCount != tree.nodeCount - 1 {
            problems.append("\(childCount) nodes are children of another, not all \(tree.nodeCount - 1) but the root")
        }

        // Diagnostics.
        for diagnostic in tree.diagnostics where diagnostic.range.start < 0 || diagnostic.range.end > count {
            problems.append("\(diagnostic.summary) points outside the document")
        }
        return problems
    }
}
