import MeshSyntax

/// Source text with marked ranges: `«` opens a range and `»` closes it; both are removed.
///
/// Ranges are numbered in the order they open, so nested marks work
/// (`«"services"»: {«"users"»: ...}` marks the two keys as ranges 0 and 1).
struct Marked {
    /// The text without the marks.
    let text: String
    /// The marked byte ranges, in the order they open.
    let ranges: [ByteRange]

    init(_ marked: String) {
        var output = ""
        var opened: [(index: Int, start: Int)] = []
        var ranges: [ByteRange?] = []
        var offset = 0
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "«":
                opened.append((ranges.count, offset))
                ranges.append(nil)
            case "»":
                if let open = opened.popLast() {
                    ranges[open.index] = ByteRange(start: open.start, end: offset)
                }
            default:
                output.unicodeScalars.append(scalar)
                offset += String(scalar).utf8.count
            }
        }
        precondition(opened.isEmpty, "unbalanced « in a marked fixture")
        self.text = output
        self.ranges = ranges.compactMap { $0 }
    }

    /// The text as a source.
    var source: SourceText { SourceText(text) }

    /// Marked range `index`, or an empty range past the end when there are fewer marks
    /// (so that a test with a missing mark fails instead of trapping).
    subscript(_ index: Int) -> ByteRange {
        index < ranges.count ? ranges[index] : .empty(at: Int.max / 2)
    }
}

extension String {
    /// Applies `edits` (which must not overlap) to the string's UTF-8 bytes.
    func applying(_ edits: [TextEdit]) -> String {
        var bytes = Array(utf8)
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) {
            let start = min(edit.range.start, bytes.count)
            let end = min(max(start, edit.range.end), bytes.count)
            bytes.replaceSubrange(start..<end, with: Array(edit.newText.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
