import MeshTestSupport
import Testing

@testable import MeshRouter

/// The segments read off a flat path program (which the route table's trie and the shadow
/// analysis's index both use) against the pattern they were compiled from, on random
/// patterns mixing literals, empty segments, parameters, `*` and text to percent-encode.
@Suite("Pattern segments read off path programs")
struct SegmentShapeTests {
    static let pieces = ["a", "api", "v1", "", ":id", ":x", "*", "x*", "caf\u{E9}", "my docs", "%2F", "a:b", "?"]

    static let fixed = [
        "/", "/*", "//", "/api/", "/api/users", "/api/users/*", "/api/user*", "/a//b", "/:tenant/api", "/a/*/c",
        "/a/*/*", "/my docs/x", "/v/:version/*", "/caf\u{E9}/*",
    ]

    /// Random pattern texts of one to five pieces, each after a '/'.
    static func texts(seed: UInt64, count: Int) -> [String] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in
            (0...random.next(below: 5)).map { _ in "/" + pieces[random.next(below: pieces.count)] }.joined()
        }
    }

    /// The shapes as the shadow analysis computed them before, from the pattern's items:
    /// (kind, bytes) per segment.
    static func reference(_ pattern: PathPattern) -> [(SegmentShape.Kind, [UInt8])] {
        var segments: [(SegmentShape.Kind, [UInt8])] = []
        var current: [UInt8] = []
        var isParameter = false
        var started = false
        for item in pattern.items {
            switch item {
            case .literal(let bytes):
                for byte in bytes {
                    if byte == UInt8(ascii: "/") {
                        if started { segments.append(isParameter ? (.parameter, []) : (.literal, current)) }
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
                segments.append((.tail, current))
                return segments
            }
        }
        segments.append(isParameter ? (.parameter, []) : (.literal, current))
        return segments
    }

    @Test func segmentsAndLiteralPrefixAgreeWithThePattern() {
        var valid = 0
        var withPrefix = 0
        for text in Self.fixed + Self.texts(seed: 0x5E6, count: 5_000) {
            guard case .success(let pattern) = PathPattern.parse(text) else { continue }
            valid += 1
            var ops: [PathOp] = []
            var arena: [UInt8] = []
            PathProgram.append(pattern, to: &ops, arena: &arena)
            var segments: [SegmentShape] = []
            ops.withUnsafeBufferPointer { ops in
                arena.withUnsafeBufferPointer { SegmentShape.segments(ops: ops, arena: $0, into: &segments) }
            }
            let read = segments.map { ($0.kind, Array(arena[$0.start..<($0.start + $0.length)])) }
            let expected = Self.reference(pattern)
            #expect(read.map(\.0) == expected.map(\.0), "kinds of \(text)")
            #expect(read.map(\.1) == expected.map(\.1), "bytes of \(text)")
            let prefix = segments.prefix(SegmentShape.literalPrefixCount(segments)).map {
                String(decoding: arena[$0.start..<($0.start + $0.length)], as: UTF8.self)
            }
            #expect(prefix == pattern.literalPrefixSegments, "literal prefix of \(text)")
            if !prefix.isEmpty { withPrefix += 1 }
        }
        // Both kinds of pattern are exercised, and most random texts are valid.
        #expect(valid > 1_000)
        #expect(withPrefix > 100)
        #expect(withPrefix < valid)
    }

    @Test func anEmptyProgramHasNoSegments() {
        var segments = [SegmentShape(kind: .literal, start: 0, length: 0)]
        SegmentShape.segments(
            ops: UnsafeBufferPointer(start: nil, count: 0), arena: .init(start: nil, count: 0), into: &segments)
        #expect(segments.isEmpty)
    }
}
