import MeshConfig
import MeshSyntax

/// Picks the branch of a rule's `split` (docs/target-selection.md).
///
/// - Branches without a service, or without a positive weight, are not usable (the
///   validator reports them); the others get probability `weight / total`.
/// - With `stickyBy` (`header:<name>` or `cookie:<name>`), the draw is a stable hash of the
///   key's value: FNV-1a 64 over its UTF-8 bytes, then the SplitMix64 mixer (FNV alone
///   barely moves its high bits when only the last character changes, so `user-1` and
///   `user-2` would land in the same branch far too often), mapped to `[0, 1)`. The same
///   value picks the same branch on every run and machine, for as long as the branches and
///   weights stay the same.
/// - Without a key (no `stickyBy`, or the request does not carry it) the draw comes from the
///   seeded random source, and the reason says so.
public enum SplitSelection {
    /// The usable branches of `rule` with their probabilities, in document order; empty when
    /// the rule has no usable split.
    public static func branches(of rule: Rule) -> [SplitBranchTrace] {
        var usable: [(service: String, weight: Double)] = []
        for branch in rule.split ?? [] {
            guard let service = branch.service?.value, let weight = branch.weight?.value, weight.isFinite, weight > 0
            else { continue }
            usable.append((service, weight))
        }
        let scale = WeightScale(usable.map { $0.weight })
        let total = usable.reduce(0) { $0 + scale.apply($1.weight) }
        guard total > 0, total.isFinite else { return [] }
        return usable.map {
            SplitBranchTrace(service: $0.service, weight: $0.weight, probability: scale.apply($0.weight) / total)
        }
    }

    /// Chooses a branch for `request`; nil when the rule has no usable split. `random` is
    /// only advanced when the draw is random (not for a sticky key).
    public static func choose(rule: Rule, request: RouteRequest, random: inout SeededRandom) -> SplitDecision? {
        let split = PreparedSplit(rule: rule)
        guard let (branch, draw) = pick(split, request: request, random: &random) else { return nil }
        let sticky = split.stickyBy ?? ""
        let reason: String
        switch draw {
        case .sticky(let value): reason = "sticky by \(sticky) (hash \(SelectionText.fixed(value, digits: 4)))"
        case .absent(let value): reason = "\(sticky) absent: random draw \(SelectionText.fixed(value, digits: 4))"
        case .unsupported(let value):
            reason =
                "stickyBy '\(sticky)' is not header:<name> or cookie:<name>: random draw "
                + "\(SelectionText.fixed(value, digits: 4))"
        case .random(let value): reason = "random draw \(SelectionText.fixed(value, digits: 4))"
        }
        return SplitDecision(branches: split.branches, chosen: split.branches[branch].service, reason: reason)
    }

    /// How a split's draw in `[0, 1)` was made.
    enum Draw {
        /// The stable hash of the sticky key's value.
        case sticky(Double)
        /// Random: the sticky key is missing from the request.
        case absent(Double)
        /// Random: `stickyBy` names neither a header nor a cookie.
        case unsupported(Double)
        /// Random: the rule has no `stickyBy`.
        case random(Double)

        var value: Double {
            switch self {
            case .sticky(let value), .absent(let value), .unsupported(let value), .random(let value): value
            }
        }
    }

    /// The branch (a position in `split.branches`) for `request` and the draw that chose
    /// it; nil when the split has no usable branch. Shared by ``choose(rule:request:random:)``
    /// and ``Router/decide(_:health:)``; allocates nothing.
    static func pick(_ split: PreparedSplit, request: RouteRequest, random: inout SeededRandom) -> (
        branch: Int, draw: Draw
    )? {
        guard !split.branches.isEmpty else { return nil }
        let draw: Draw
        if split.stickyBy == nil {
            draw = .random(random.nextUnit())
        } else {
            switch stickyValue(split.sticky, in: request) {
            case .value(let key): draw = .sticky(stableUnit(bytes: key.utf8))
            case .absent: draw = .absent(random.nextUnit())
            case .unsupported: draw = .unsupported(random.nextUnit())
            }
        }
        return (branchIndex(at: draw.value, in: split.branches), draw)
    }

    /// The branch a draw in `[0, 1)` falls into: branches own consecutive slices of `[0, 1)`
    /// as wide as their probabilities, in document order.
    public static func branch(at draw: Double, in branches: [SplitBranchTrace]) -> String {
        branches.isEmpty ? "" : branches[branchIndex(at: draw, in: branches)].service
    }

    /// ``branch(at:in:)`` as a position in the non-empty `branches`.
    static func branchIndex(at draw: Double, in branches: [SplitBranchTrace]) -> Int {
        var upper = 0.0
        for index in branches.indices {
            upper += branches[index].probability
            if draw < upper { return index }
        }
        // Rounding can leave the sum a hair below 1; the last branch owns that sliver.
        return max(0, branches.count - 1)
    }

    /// What a `stickyBy` setting finds in a request.
    public enum StickyKey: Sendable, Hashable {
        /// The key's value (never empty).
        case value(String)
        /// The header or cookie is missing or empty.
        case absent
        /// The setting is neither `header:<name>` nor `cookie:<name>`.
        case unsupported
    }

    /// Reads the sticky key `stickyBy` names from `request`. Header names are
    /// case-insensitive; cookie names are case-sensitive (RFC 6265), read from the `cookie`
    /// header, and a value in double quotes is taken without them.
    public static func stickyKey(_ stickyBy: String, in request: RouteRequest) -> StickyKey {
        switch stickyValue(StickySource(stickyBy), in: request) {
        case .value(let value): .value(String(value))
        case .absent: .absent
        case .unsupported: .unsupported
        }
    }

    /// Where a `stickyBy` setting reads its key, parsed once per rule.
    enum StickySource: Sendable, Hashable {
        /// A header, by lower-cased name (request headers are stored that way).
        case header(String)
        /// A cookie, by its case-sensitive name.
        case cookie(String)
        /// Neither `header:<name>` nor `cookie:<name>`.
        case unsupported

        init(_ stickyBy: String) {
            let parts: (kind: String, name: String)? = stickyBy.withUTF8Bytes { bytes in
                guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon + 1 < bytes.count else { return nil }
                return (
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[..<colon]), as: UTF8.self).asciiLowercased,
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self)
                )
            }
            guard let parts else {
                self = .unsupported
                return
            }
            if parts.kind.hasSameBytes(as: "header") {
                self = .header(parts.name.asciiLowercased)
            } else if parts.kind.hasSameBytes(as: "cookie") {
                self = .cookie(parts.name)
            } else {
                self = .unsupported
            }
        }
    }

    /// ``StickyKey`` with the value as a slice of the request's header, so the hot path
    /// hashes it in place instead of copying it out.
    enum StickyValue {
        case value(Substring)
        case absent
        case unsupported
    }

    static func stickyValue(_ source: StickySource, in request: RouteRequest) -> StickyValue {
        let found: Substring?
        switch source {
        case .header(let name): found = request.headers[name].map { Substring($0) }
        case .cookie(let name): found = request.headers["cookie"].flatMap { cookie(named: name, in: Substring($0)) }
        case .unsupported: return .unsupported
        }
        guard let found, !found.isEmpty else { return .absent }
        return .value(found)
    }

    /// The value of cookie `name` in a `Cookie` header (`a=1; b=2`); the first one wins,
    /// as browsers send the most specific cookie first. Walks the `;`-separated pairs in
    /// place, byte by byte: cookies are octets (RFC 6265), names compare byte for byte, and
    /// the bytes it splits and trims at (`;`, `=`, space, tab, `"`) never occur inside a
    /// UTF-8 sequence, so any header splits where its characters would.
    static func cookie(named name: String, in header: Substring) -> Substring? {
        let found: Range<Int>? = header.withUTF8Bytes { bytes in
            /// `range` without the spaces and tabs at its ends.
            func trimmed(_ range: Range<Int>) -> Range<Int> {
                let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
                var (lower, upper) = (range.lowerBound, range.upperBound)
                while lower < upper, isBlank(bytes[lower]) { lower += 1 }
                while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
                return lower..<upper
            }
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
                defer { start = end + 1 }
                var equals = start
                while equals < end, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                guard equals < end else { continue }
                guard UnsafeBufferPointer(rebasing: bytes[trimmed(start..<equals)]).elementsEqual(name.utf8) else {
                    continue
                }
                let value = trimmed((equals + 1)..<end)
                if value.count >= 2, bytes[value.lowerBound] == UInt8(ascii: "\""),
                    bytes[value.upperBound - 1] == UInt8(ascii: "\"")
                {
                    return (value.lowerBound + 1)..<(value.upperBound - 1)
                }
                return value
            }
            return nil
        }
        guard let found else { return nil }
        let utf8 = header.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: found.lowerBound)
        let upper = utf8.index(utf8.startIndex, offsetBy: found.upperBound)
        return header[lower..<upper]
    }

    /// A stable draw in `[0, 1)` for `key`: FNV-1a 64 of its UTF-8 bytes, mixed.
    public static func stableUnit(_ key: String) -> Double {
        stableUnit(bytes: key.utf8)
    }

    /// ``stableUnit(_:)`` of any UTF-8 bytes (a slice of a header, on the hot path).
    static func stableUnit<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Double {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return SeededRandom.unit(SeededRandom.mix(hash))
    }
}

/// A rule's split prepared for choosing: its usable branches with their probabilities and
/// its parsed `stickyBy`. ``SplitSelection/choose(rule:request:random:)`` prepares one per
/// call; ``Router`` prepares one per split rule when it is created.
struct PreparedSplit: Sendable {
    /// The usable branches, in document order; empty when the split has none.
    var branches: [SplitBranchTrace]
    /// `stickyBy` as written (for the trace's reason); nil when the rule has none.
    var stickyBy: String?
    /// Where `stickyBy` reads its key.
    var sticky: SplitSelection.StickySource

    init(rule: Rule) {
        branches = SplitSelection.branches(of: rule)
        stickyBy = rule.stickyBy?.value
        sticky = stickyBy.map(SplitSelection.StickySource.init) ?? .unsupported
    }

    /// A split prepared already, as a route plan carries it.
    init(branches: [SplitBranchTrace], stickyBy: String?, sticky: SplitSelection.StickySource) {
        self.branches = branches
        self.stickyBy = stickyBy
        self.sticky = sticky
    }
}
