import MeshConfig

/// How to make a rule's split choose a given branch on purpose, for witnesses that show
/// a request reaching that branch.
public enum SplitWitness {
    /// The position among ``SplitSelection/branches(of:)`` (the usable branches) of the
    /// branch written at `index` in the rule's `split`; nil when that branch is not usable
    /// (no service, a weight that is not positive) or the split has no usable branch.
    public static func usableIndex(ofBranch index: Int, in rule: Rule) -> Int? {
        guard let split = rule.split, split.indices.contains(index), !SplitSelection.branches(of: rule).isEmpty else {
            return nil
        }
        // The router's own notion of a usable branch, asked of the branch alone and of the
        // branches up to it, so this never disagrees with the split it reports on.
        var alone = rule
        alone.split = [split[index]]
        guard !SplitSelection.branches(of: alone).isEmpty else { return nil }
        var upTo = rule
        upTo.split = Array(split[...index])
        return SplitSelection.branches(of: upTo).count - 1
    }

    /// A header that makes the rule's sticky split choose the usable branch at `branch`:
    /// `(name, value)` for `stickyBy: "header:<name>"`, `("cookie", "<name>=<value>")` for
    /// `cookie:<name>`. The value is the first of `user-1`, `user-2`, ... whose stable hash
    /// lands in the branch. Nil when the rule has no sticky key a request can carry, or
    /// no value among the first `attempts` lands there (a very thin branch).
    public static func stickyHeader(rule: Rule, branch: Int, attempts: Int = 4096) -> (name: String, value: String)? {
        let split = PreparedSplit(rule: rule)
        guard split.branches.indices.contains(branch), split.stickyBy != nil, attempts > 0 else { return nil }
        for number in 1...attempts {
            let key = "user-\(number)"
            guard SplitSelection.branchIndex(at: SplitSelection.stableUnit(key), in: split.branches) == branch else {
                continue
            }
            switch split.sticky {
            case .header(let name): return (name, key)
            case .cookie(let name): return ("cookie", "\(name)=\(key)")
            case .unsupported: return nil
            }
        }
        return nil
    }
}
