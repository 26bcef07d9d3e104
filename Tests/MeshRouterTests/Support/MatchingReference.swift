import MeshRouter
import MeshSyntax

/// A naive in-order router written from docs/guide/routing.md alone, for the property tests. It
/// shares no code with `PathPattern` or `CompiledRule`: it splits patterns and paths
/// into segments and matches them recursively, and checks the other matchers from the
/// rule specs as written.
enum MatchingReference {
    /// One pattern segment.
    enum Piece: Equatable {
        /// Exactly this segment.
        case literal([UInt8])
        /// One non-empty segment (`:name`, or `*` not at the end).
        case one
        /// The rest of the path from this segment on, starting with these bytes (a
        /// trailing `*`, after whatever its segment spells before it).
        case rest([UInt8])
    }

    /// The pieces of `pattern`, or nil when docs/guide/routing.md calls it invalid.
    static func compile(_ pattern: String) -> [Piece]? {
        let bytes = Array(pattern.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        guard !bytes.contains(UInt8(ascii: "?")), !bytes.contains(UInt8(ascii: "#")) else { return nil }
        let segments = bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(
            Array.init)
        var names: Set<[UInt8]> = []
        var pieces: [Piece] = []
        for (position, segment) in segments.enumerated() {
            let isLast = position == segments.count - 1
            let stars = segment.filter { $0 == UInt8(ascii: "*") }.count
            if segment == [UInt8(ascii: "*")] {
                pieces.append(isLast ? .rest([]) : .one)
            } else if segment.first == UInt8(ascii: ":") {
                let name = Array(segment.dropFirst())
                guard isIdentifier(name), names.insert(name).inserted else { return nil }
                pieces.append(.one)
            } else if stars > 0 {
                guard isLast, stars == 1, segment.last == UInt8(ascii: "*"), !segment.contains(UInt8(ascii: ":")) else {
                    return nil
                }
                pieces.append(.rest(encoded(segment.dropLast())))
            } else if segment.contains(UInt8(ascii: ":")) {
                return nil
            } else {
                pieces.append(.literal(encoded(segment[...])))
            }
        }
        return pieces
    }

    /// Whether the normalized `path` matches `pieces`.
    static func matches(_ pieces: [Piece], path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        let segments = bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(
            Array.init)
        return matches(pieces[...], segments[...])
    }

    private static func matches(_ pieces: ArraySlice<Piece>, _ segments: ArraySlice<[UInt8]>) -> Bool {
        guard let piece = pieces.first else { return segments.isEmpty }
        guard let segment = segments.first else { return false }
        switch piece {
        case .literal(let literal):
            return segment == literal && matches(pieces.dropFirst(), segments.dropFirst())
        case .one:
            return !segment.isEmpty && matches(pieces.dropFirst(), segments.dropFirst())
        case .rest(let prefix):
            let remaining = Array(segments.joined(separator: [UInt8(ascii: "/")]))
            return remaining.starts(with: prefix)
        }
    }

    /// The first rule of `specs`, in order, that `request` satisfies.
    static func firstMatch(_ specs: [MatchingSupport.RuleSpec], _ request: RouteRequest) -> Int? {
        specs.firstIndex { matches($0, request) }
    }

    /// Whether `request` satisfies every matcher `spec` writes.
    static func matches(_ spec: MatchingSupport.RuleSpec, _ request: RouteRequest) -> Bool {
        guard let path = spec.path, let pieces = compile(path), matches(pieces, path: request.path) else {
            return false
        }
        if let methods = spec.methods, !methods.map({ $0.uppercased() }).contains(request.method) { return false }
        if let host = spec.host?.lowercased() {
            if host.hasPrefix("*."), host.count > 2 {
                let suffix = Array(host.utf8.dropFirst())
                let candidate = Array(request.host.utf8)
                guard candidate.count > suffix.count, candidate.suffix(suffix.count).elementsEqual(suffix) else {
                    return false
                }
            } else if Array(host.utf8) != Array(request.host.utf8) {
                return false
            }
        }
        for header in spec.headers {
            let value = request.headers[header.name.lowercased()]
            switch header.value {
            case .equals(let expected): if value != expected { return false }
            case .present: if value == nil { return false }
            case .absent: if value != nil { return false }
            }
        }
        return allows(spec.continents, request.cf.continent) && allows(spec.countries, request.cf.country)
            && allows(spec.colos, request.cf.colo)
    }

    private static func allows(_ list: [String]?, _ value: String?) -> Bool {
        guard let list else { return true }
        guard let value else { return false }
        return list.map { $0.uppercased() }.contains(value)
    }

    private static func isIdentifier(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy {
            isLetter($0) || $0 == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// A literal as it appears in a WHATWG-normalized path.
    private static func encoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        for byte in bytes {
            if byte <= 0x20 || byte >= 0x7F || Array("\"#<>?^`{}".utf8).contains(byte) {
                result.append(contentsOf: percentTriplet(byte))
            } else {
                result.append(byte)
            }
        }
        return result
    }

    private static func percentTriplet(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
    }
}

/// Property-test helpers on the router's own SplitMix64 generator, so every run is reproducible.
extension SeededRandom {
    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// A random element (the arrays used here are never empty).
    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &self)] }
}
