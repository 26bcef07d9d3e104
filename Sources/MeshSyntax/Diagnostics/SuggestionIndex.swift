/// "Did you mean" over many names, at a cost that does not grow with the number of names.
///
/// It answers exactly what ``EditDistance/suggestion(for:among:maxDistance:)`` answers for
/// the same names in the same order (a case-only difference first, then the closest name,
/// ties to the earlier one), but finds the names within two edits through an index of
/// deletion variants (the "symmetric delete" method): when two names are within two edits,
/// deleting at most two characters from each gives a common string, so a query hashes its
/// own variants and looks them up instead of comparing itself with every name. Only when
/// a long word allows more than two edits and nothing is within two does it fall back to
/// the names of about its length.
///
/// Costs: building is O(n x L^2) for n names of length L (about 50 variants for a
/// ten-character name); a query is O(L^2 log n) plus an exact distance per hit. Words and
/// names longer than ``longestSuggested`` characters get no suggestion, which bounds a
/// hostile config's quadratic distances.
public struct SuggestionIndex: Sendable {
    /// Words and names longer than this (in Unicode scalars) are never suggested or
    /// suggested for.
    public static let longestSuggested = 64
    /// The edits the variant index covers.
    static let indexedEdits = 2

    private struct Variant: Sendable, Comparable {
        var hash: UInt64
        var name: Int32
        /// How many characters were deleted to make this variant.
        var deletions: Int32
        static func < (lhs: Variant, rhs: Variant) -> Bool { (lhs.hash, lhs.name) < (rhs.hash, rhs.name) }
    }

    private let names: [String]
    private let lowered: [[Unicode.Scalar]]
    private let byCaselessName: [String: [Int]]
    private let variants: [Variant]
    private let byLength: [Int: [Int]]

    /// Indexes `names`; their order decides ties.
    public init(_ names: [String]) {
        self.names = names
        var lowered: [[Unicode.Scalar]] = []
        var byCaselessName: [String: [Int]] = [:]
        var byLength: [Int: [Int]] = [:]
        var variants: [Variant] = []
        lowered.reserveCapacity(names.count)
        for (position, name) in names.enumerated() {
            let caseless = name.lowercased()
            let scalars = Array(caseless.unicodeScalars)
            lowered.append(scalars)
            byCaselessName[caseless, default: []].append(position)
            guard scalars.count <= Self.longestSuggested else { continue }
            byLength[scalars.count, default: []].append(position)
            Self.forEachVariant(of: scalars) { hash, deletions in
                variants.append(Variant(hash: hash, name: Int32(position), deletions: Int32(deletions)))
            }
        }
        variants.sort()
        self.lowered = lowered
        self.byCaselessName = byCaselessName
        self.variants = variants
        self.byLength = byLength
    }

    /// The closest name within `maxDistance` edits of `word`, as
    /// ``EditDistance/suggestion(for:among:maxDistance:)`` chooses it.
    public func suggestion(for word: String, maxDistance: Int = 2) -> String? {
        let caseless = word.lowercased()
        if let first = byCaselessName[caseless]?.first(where: { names[$0] != word }) { return names[first] }
        let scalars = Array(caseless.unicodeScalars)
        guard scalars.count <= Self.longestSuggested, maxDistance >= 0 else { return nil }
        // A name is never suggested when it takes as many edits as the word has characters.
        let limit = min(maxDistance, scalars.count - 1)
        guard limit >= 0 else { return nil }
        var best: (distance: Int, name: Int)?
        // Names within `cap` edits only: the index's hits may be up to four edits away,
        // and one at three must not hide an earlier name at three that it did not hit.
        func consider(_ candidate: Int, within cap: Int) {
            guard names[candidate] != word else { return }
            let bound = min(cap, best?.distance ?? .max)
            let distance = EditDistance.distance(scalars, lowered[candidate], limit: bound)
            guard distance <= bound else { return }
            if let current = best, (current.distance, current.name) <= (distance, candidate) { return }
            best = (distance, candidate)
        }
        // Names one edit away share a variant of at most one deletion on each side, so
        // they are looked for first; in a family of similar names (`svc-00042`, ...)
        // hundreds are two edits away, and this spares computing all their distances.
        var seen = Set<Int32>()
        for edits in 1...Self.indexedEdits where edits <= limit && (best?.distance ?? .max) >= edits {
            Self.forEachVariant(of: scalars) { hash, deletions in
                guard deletions <= edits else { return }
                var index = firstVariant(atLeast: hash)
                while index < variants.count, variants[index].hash == hash {
                    let variant = variants[index]
                    if variant.deletions <= edits, seen.insert(variant.name).inserted {
                        consider(Int(variant.name), within: min(limit, Self.indexedEdits))
                    }
                    index += 1
                }
            }
        }
        if best == nil, limit > Self.indexedEdits {
            for length in (scalars.count - limit)...(scalars.count + limit) {
                for candidate in byLength[length] ?? [] { consider(candidate, within: limit) }
            }
        }
        return best.map { names[$0.name] }
    }

    private func firstVariant(atLeast hash: UInt64) -> Int {
        var (low, high) = (0, variants.count)
        while low < high {
            let mid = (low + high) / 2
            if variants[mid].hash < hash { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Calls `body` with the hash of every string made by deleting at most two scalars of
    /// `scalars`, and how many were deleted (some strings come more than once when letters
    /// repeat; lookups tolerate that).
    private static func forEachVariant(of scalars: [Unicode.Scalar], _ body: (UInt64, Int) -> Void) {
        let count = scalars.count
        body(hash(scalars, skipping: -1, -1), 0)
        for first in 0..<count {
            body(hash(scalars, skipping: first, -1), 1)
            for second in (first + 1)..<count {
                body(hash(scalars, skipping: first, second), 2)
            }
        }
    }

    /// FNV-1a over the scalars other than positions `first` and `second`, then the length,
    /// so that collisions are rare; a collision only costs one exact distance.
    private static func hash(_ scalars: [Unicode.Scalar], skipping first: Int, _ second: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var kept: UInt64 = 0
        for (position, scalar) in scalars.enumerated() where position != first && position != second {
            hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01b3
            kept += 1
        }
        return (hash ^ kept) &* 0x0000_0100_0000_01b3
    }
}
