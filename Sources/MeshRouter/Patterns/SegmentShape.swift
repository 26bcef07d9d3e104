/// One segment of a path pattern, as shadow analysis indexes it.
enum SegmentShape: Hashable {
    /// Exactly these bytes (possibly none: `//` or a trailing `/`).
    case literal([UInt8])
    /// One non-empty segment (`:name` or a middle `*`).
    case parameter
    /// The last segment: these bytes, then anything (`/` included): a trailing `*`.
    case tail([UInt8])

    /// The segments of `pattern`: `/api/:id/x*` is literal `api`, parameter, tail `x`.
    static func segments(of pattern: PathPattern) -> [SegmentShape] {
        var segments: [SegmentShape] = []
        var current: [UInt8] = []
        var isParameter = false
        var started = false
        for item in pattern.items {
            switch item {
            case .literal(let bytes):
                for byte in bytes {
                    if byte == UInt8(ascii: "/") {
                        if started { segments.append(isParameter ? .parameter : .literal(current)) }
                        started = true
                        current = []
                        isParameter = false
                    } else {
                        current.append(byte)
                    }
                }
            case .segment:
                isParameter = true
            case .rest:
                segments.append(.tail(current))
                return segments
            }
        }
        segments.append(isParameter ? .parameter : .literal(current))
        return segments
    }
}

/// An index of earlier rules' path patterns by segment shape, answering "which of them
/// can cover this pattern?" without comparing against every rule.
///
/// Structural coverage, for an outer pattern A = a1..ap and an inner pattern B = b1..bq:
/// - without a tail, A covers B when B has no tail, p == q, and each ai covers bi: a
///   literal covers the same literal; a parameter covers a parameter or a non-empty literal;
/// - with a tail `t*` as ap, a1..a(p-1) cover b1..b(p-1) as above (none of them a tail),
///   q >= p, and t is empty or a prefix of bp's literal bytes (bp a literal or a tail).
///
/// For every inner pattern that matches at least one normalized path this is exactly path
/// inclusion (a parameter or tail of B can always be filled with a byte no literal of A
/// uses), so the index never drops a shadowing candidate; the automata of
/// ``PatternInclusion`` still decide each candidate.
///
/// A walk visits only trie nodes whose shape covers B's prefix, at most two children per
/// level (the literal edge equal to bi and the parameter edge), so a lookup costs
/// O(q + visited nodes + candidates) and never more than the size of the trie.
struct SegmentTrie {
    private struct Node {
        var literalChildren: [[UInt8]: Int] = [:]
        var parameterChild: Int?
        /// Rules whose pattern ends at this node, without a tail.
        var ends: [Int] = []
        /// Rules whose pattern's tail segment is at this node, by the tail's literal bytes.
        var tails: [[UInt8]: [Int]] = [:]
    }

    private var nodes = [Node()]

    /// Adds the rule at `position` with the given pattern segments.
    mutating func insert(_ segments: [SegmentShape], position: Int) {
        var node = 0
        for segment in segments {
            switch segment {
            case .literal(let bytes):
                if let child = nodes[node].literalChildren[bytes] {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].literalChildren[bytes] = nodes.count - 1
                    node = nodes.count - 1
                }
            case .parameter:
                if let child = nodes[node].parameterChild {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].parameterChild = nodes.count - 1
                    node = nodes.count - 1
                }
            case .tail(let bytes):
                nodes[node].tails[bytes, default: []].append(position)
                return
            }
        }
        nodes[node].ends.append(position)
    }

    /// The positions of the indexed rules whose pattern structurally covers `segments`,
    /// in no particular order.
    func coveringCandidates(of segments: [SegmentShape]) -> [Int] {
        var result: [Int] = []
        var stack: [(node: Int, depth: Int)] = [(0, 0)]
        while let (nodeIndex, depth) = stack.popLast() {
            let node = nodes[nodeIndex]
            guard depth < segments.count else {
                result.append(contentsOf: node.ends)
                continue
            }
            let segment = segments[depth]
            if !node.tails.isEmpty {
                switch segment {
                case .literal(let bytes), .tail(let bytes):
                    for length in 0...bytes.count {
                        if let rules = node.tails[Array(bytes.prefix(length))] { result.append(contentsOf: rules) }
                    }
                case .parameter:
                    if let rules = node.tails[[]] { result.append(contentsOf: rules) }
                }
            }
            switch segment {
            case .literal(let bytes):
                if let child = node.literalChildren[bytes] { stack.append((child, depth + 1)) }
                if !bytes.isEmpty, let child = node.parameterChild { stack.append((child, depth + 1)) }
            case .parameter:
                if let child = node.parameterChild { stack.append((child, depth + 1)) }
            case .tail:
                // Only a tail of A covers a tail of B, and those were collected above.
                break
            }
        }
        return result
    }
}
