import MeshConfig

/// Picks the branch of a rule's `split` (routing.md, target selection step 1).
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
            guard let service = branch.service?.value, let weight = branch.weight?.value, weight.isFinite, weight > 0 else { continue }
            usable.append((service, weight))
        }
        let total = usable.reduce(0) { $0 + $1.weight }
        guard total > 0, total.isFinite else { return [] }
        return usable.map { SplitBranchTrace(service: $0.service, weight: $0.weight, probability: $0.weight / total) }
    }

    /// Chooses a branch for `request`; nil when the rule has no usable split. `random` is
    /// only advanced when the draw is random (not for a sticky key).
    public static func choose(rule: Rule, request: RouteRequest, random: inout SeededRandom) -> SplitDecision? {
        let branches = branches(of: rule)
        guard !branches.isEmpty else { return nil }
        let draw: Double
        let reason: String
        if let sticky = rule.stickyBy?.value {
            switch stickyKey(sticky, in: request) {
            case .value(let key):
                draw = stableUnit(key)
                reason = "sticky by \(sticky) (hash \(SelectionText.fixed(draw, digits: 4)))"
            case .absent:
                draw = random.nextUnit()
                reason = "\(sticky) absent: random draw \(SelectionText.fixed(draw, digits: 4))"
            case .unsupported:
                draw = random.nextUnit()
                reason = "stickyBy '\(sticky)' is not header:<name> or cookie:<name>: random draw \(SelectionText.fixed(draw, digits: 4))"
            }
        } else {
            draw = random.nextUnit()
            reason = "random draw \(SelectionText.fixed(draw, digits: 4))"
        }
        return SplitDecision(branches: branches, chosen: branch(at: draw, in: branches), reason: reason)
    }

    /// The branch a draw in `[0, 1)` falls into: branches own consecutive slices of `[0, 1)`
    /// as wide as their probabilities, in document order.
    public static func branch(at draw: Double, in branches: [SplitBranchTrace]) -> String {
        var upper = 0.0
        for branch in branches {
            upper += branch.probability
            if draw < upper { return branch.service }
        }
        // Rounding can leave the sum a hair below 1; the last branch owns that sliver.
        return branches.last?.service ?? ""
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
        guard let colon = stickyBy.firstIndex(of: ":") else { return .unsupported }
        let kind = stickyBy[..<colon].lowercased()
        let name = String(stickyBy[stickyBy.index(after: colon)...])
        guard !name.isEmpty else { return .unsupported }
        let found: String?
        switch kind {
        case "header": found = request.headers[name.lowercased()]
        case "cookie": found = request.headers["cookie"].flatMap { cookie(named: name, in: $0) }
        default: return .unsupported
        }
        guard let found, !found.isEmpty else { return .absent }
        return .value(found)
    }

    /// The value of cookie `name` in a `Cookie` header (`a=1; b=2`); the first one wins,
    /// as browsers send the most specific cookie first.
    static func cookie(named name: String, in header: String) -> String? {
        for pair in header.split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            guard trimmed(pair[..<equals]) == name else { continue }
            var value = trimmed(pair[pair.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = value.dropFirst().dropLast()
            }
            return String(value)
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    /// A stable draw in `[0, 1)` for `key`: FNV-1a 64 of its UTF-8 bytes, mixed.
    public static func stableUnit(_ key: String) -> Double {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return SeededRandom.unit(SeededRandom.mix(hash))
    }
}
