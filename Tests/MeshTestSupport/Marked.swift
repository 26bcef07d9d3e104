import MeshSyntax

/// Fixture text with markers, the one marker language of every test target: `$0`..`$9`
/// mark positions, `«`..`»` mark ranges and `⟨`..`⟩` mark a second family of ranges
/// (expected ranges, where `«»` marks related ones). Every marker is removed from the
/// text; offsets are UTF-8 byte offsets into what remains, and ranges of each family are
/// numbered in the order they open, so nested marks work.
public struct Marked: Sendable {
    /// The text without markers.
    public let text: String
    /// Byte offsets of `$0`..`$9`, by digit.
    public let positions: [Int: Int]
    /// The ranges marked `«…»`, in the order they open.
    public let ranges: [ByteRange]
    /// The ranges marked `⟨…⟩`, in the order they open.
    public let expected: [ByteRange]

    public init(_ marked: String) {
        var output: [UInt8] = []
        var positions: [Int: Int] = [:]
        var open: [Unicode.Scalar: [(slot: Int, start: Int)]] = [:]
        var found: [Unicode.Scalar: [ByteRange?]] = ["«": [], "⟨": []]
        let closers: [Unicode.Scalar: Unicode.Scalar] = ["»": "«", "⟩": "⟨"]
        // Scalars, not characters: a combining mark right after a marker would otherwise
        // fuse with it into one character and hide the marker.
        let scalars = Array(marked.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "$", index + 1 < scalars.count, let digit = Int(String(scalars[index + 1])) {
                positions[digit] = output.count
                index += 2
                continue
            }
            switch scalar {
            case "«", "⟨":
                open[scalar, default: []].append((found[scalar, default: []].count, output.count))
                found[scalar, default: []].append(nil)
            case "»", "⟩":
                let opener = closers[scalar] ?? scalar
                if let start = open[opener]?.popLast() {
                    found[opener]?[start.slot] = ByteRange(start: start.start, end: output.count)
                }
            default:
                output.append(contentsOf: Array(String(scalar).utf8))
            }
            index += 1
        }
        self.text = String(decoding: output, as: UTF8.self)
        self.positions = positions
        self.ranges = (found["«"] ?? []).compactMap { $0 }
        self.expected = (found["⟨"] ?? []).compactMap { $0 }
    }

    /// The text as a source.
    public var source: SourceText { SourceText(text) }

    /// The offset of `$digit`, or past the end when it is missing, so that a test with a
    /// missing marker fails instead of trapping.
    public subscript(position digit: Int) -> Int { positions[digit] ?? Int.max / 2 }

    /// Range `index` of the `«»` family, or an empty range past the end when missing.
    public subscript(range index: Int) -> ByteRange {
        index < ranges.count ? ranges[index] : .empty(at: Int.max / 2)
    }

    /// Range `index` of the `«»` family (the short form).
    public subscript(_ index: Int) -> ByteRange { self[range: index] }

    /// The text of `range`.
    public func text(in range: ByteRange) -> String {
        let bytes = Array(text.utf8)
        let start = min(max(0, range.start), bytes.count)
        let end = min(max(start, range.end), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
