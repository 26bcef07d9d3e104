@testable import MeshLanguageServer
import MeshSyntax

/// Fixture text with markers: `$0`..`$9` mark positions and `«`..`»` mark ranges; all
/// markers are removed from the text.
struct Marked {
    /// The text without markers.
    let text: String
    /// Byte offsets of `$0`..`$9`, by digit.
    let positions: [Int: Int]
    /// Marked ranges in the order they open.
    let ranges: [ByteRange]

    init(_ marked: String) {
        var output: [UInt8] = []
        var positions: [Int: Int] = [:]
        var opened: [(index: Int, start: Int)] = []
        var ranges: [ByteRange?] = []
        let scalars = Array(marked.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "$", index + 1 < scalars.count, let digit = Int(String(scalars[index + 1])) {
                positions[digit] = output.count
                index += 2
                continue
            }
            if scalar == "«" {
                opened.append((ranges.count, output.count))
                ranges.append(nil)
            } else if scalar == "»" {
                if let open = opened.popLast() { ranges[open.index] = ByteRange(start: open.start, end: output.count) }
            } else {
                output.append(contentsOf: Array(String(scalar).utf8))
            }
            index += 1
        }
        self.text = String(decoding: output, as: UTF8.self)
        self.positions = positions
        self.ranges = ranges.compactMap { $0 }
    }

    /// The offset of `$digit` (past the end when missing, so the test fails without trapping).
    subscript(position digit: Int) -> Int { positions[digit] ?? Int.max / 2 }

    /// Marked range `index`.
    subscript(range index: Int) -> ByteRange { index < ranges.count ? ranges[index] : .empty(at: Int.max / 2) }

    /// The analysis of the text as a `.jsonc` (or the given) file.
    func analysis(name: String = "mesh.jsonc") -> DocumentAnalysis {
        DocumentAnalysis(source: SourceText(text), dialectName: name)
    }

    /// The text of `range`.
    func text(in range: ByteRange) -> String {
        String(decoding: Array(text.utf8)[range.start..<range.end], as: UTF8.self)
    }
}

extension String {
    /// Applies non-overlapping byte-range edits.
    func applying(_ edits: [TextEdit]) -> String {
        var bytes = Array(utf8)
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) {
            bytes.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.newText.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A small but complete mesh used by several feature tests.
enum Sample {
    static let mesh = """
    {
      "version": 1,
      "services": {
        "user-service": {
          "endpoints": ["https://users.example.com"],
          "timeout": 3000
        },
        "orders": {
          "endpoints": [{ "url": "https://orders.example.com", "region": "WEU" }],
          "loadBalancer": "weighted",
          "fallback": "user-service"
        }
      },
      "routing": {
        "rules": [
          { "name": "users", "path": "/users/*", "service": "user-service" },
          { "path": "/orders/*", "split": [{ "service": "orders", "weight": 1 }] }
        ],
        "default": "orders"
      }
    }
    """
}
