import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Helpers for the shadowing, inclusion and router-check tests: a reference pattern
/// matcher written from docs/guide/routing.md's table alone (it shares no code with `PathPattern`
/// or the automata), a seeded pattern generator, exhaustive path enumeration, and rules
/// built from JSON through the real parser.
enum ShadowSupport {
    // MARK: Reference matcher

    /// One segment of a pattern, as the reference matcher reads docs/guide/routing.md.
    enum Piece: Equatable {
        case literal([UInt8])
        /// `:name` or a `*` segment that is not last: one non-empty segment.
        case one
        /// A trailing `*` after these bytes of its segment: they, then anything.
        case rest([UInt8])
    }

    /// The pieces of a valid pattern (the generator only writes valid ones).
    static func pieces(_ pattern: String) -> [Piece] {
        let segments = Array(pattern.utf8).dropFirst().split(
            separator: UInt8(ascii: "/"), omittingEmptySubsequences: false
        ).map(Array.init)
        return segments.enumerated().map { position, segment in
            let isLast = position == segments.count - 1
            if isLast, segment.last == UInt8(ascii: "*") { return .rest(Array(segment.dropLast())) }
            if segment == [UInt8(ascii: "*")] || segment.first == UInt8(ascii: ":") { return .one }
            return .literal(segment)
        }
    }

    /// Whether `path` matches `pieces`, by recursion over segments.
    static func matches(_ pieces: [Piece], _ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        return matches(pieces[...], Array(bytes.dropFirst())[...])
    }

    private static func matches(_ pieces: ArraySlice<Piece>, _ rest: ArraySlice<UInt8>) -> Bool {
        guard let piece = pieces.first else { return false }
        let slash = rest.firstIndex(of: UInt8(ascii: "/"))
        let segment = rest[..<(slash ?? rest.endIndex)]
        let isLastPiece = pieces.count == 1
        switch piece {
        case .rest(let prefix):
            return rest.starts(with: prefix)
        case .literal(let bytes):
            guard segment.elementsEqual(bytes) else { return false }
        case .one:
            guard !segment.isEmpty else { return false }
        }
        if isLastPiece { return slash == nil }
        guard let slash else { return false }
        return matches(pieces.dropFirst(), rest[(slash + 1)...])
    }

    /// Every path over `/`, `a`, `b` that starts with `/`, up to `maxLength` bytes, shortest
    /// first (all of them are normalized: there are no dots).
    static func allPaths(maxLength: Int) -> [String] {
        var result = ["/"]
        var frontier = ["/"]
        for _ in 1..<maxLength {
            frontier = frontier.flatMap { path in ["a", "b", "/"].map { path + $0 } }
            result += frontier
        }
        return result
    }

    // MARK: Random patterns

    /// A random pattern over literals from {a, b}: one to three segments, each a literal,
    /// a parameter or a middle `*`, and sometimes a trailing `*` (whole segment or after
    /// literal bytes).
    static func randomPattern(_ random: inout SeededRandom) -> String {
        let literals = ["a", "b", "a", "b", "ab", "ba", ""]
        var segments: [String] = []
        let count = Int(random.next() % 3) + 1
        for index in 0..<count {
            switch random.next() % 6 {
            case 0: segments.append(":p\(index)")
            case 1: segments.append("*")
            default: segments.append(literals[Int(random.next() % UInt64(literals.count))])
            }
        }
        // A `*` drawn as the last segment is a trailing one, as docs/guide/routing.md reads it.
        switch random.next() % 4 {
        case 0: segments.append("*")
        case 1:
            let last = segments.removeLast()
            segments.append((last.hasPrefix(":") || last == "*" ? "a" : last) + "*")
        default: break
        }
        return "/" + segments.joined(separator: "/")
    }

    // MARK: Rules through the real parser

    /// A rule object with `path`, a `service`, and extra JSON `members`.
    static func rule(_ path: String, _ members: String = "") -> String {
        "{\"path\": \"\(path)\", \"service\": \"s\"\(members.isEmpty ? "" : ", " + members)}"
    }

    /// The config text with `rules` (JSON objects) as `routing.rules`.
    static func configText(_ rules: [String]) -> String {
        "{\"services\": {\"s\": {\"endpoints\": [\"https://s.example.com\"]}},\n\"routing\": {\"rules\": [\n"
            + rules.joined(separator: ",\n") + "\n]}}"
    }

    /// The typed rules of `rules`.
    static func rules(_ rules: [String]) -> [Rule] {
        MeshDocument.analyze(SourceText(configText(rules)), path: "rules.jsonc").config.routing.rules
    }

    /// The router-check findings of a whole config text.
    static func routerDiagnostics(_ text: String) -> [Diagnostic] {
        let document = MeshDocument.analyze(SourceText(text), path: "diddy-mesh.jsonc")
        return RouterChecks.diagnostics(for: document.config, tree: document.tree)
    }
}

extension String {
    /// The bytes of `range`.
    func bytes(in range: ByteRange) -> String {
        String(decoding: Array(utf8)[range.start..<range.end], as: UTF8.self)
    }
}
