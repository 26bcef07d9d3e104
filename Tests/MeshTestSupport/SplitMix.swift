/// A small deterministic generator (SplitMix64) for property tests of targets below the
/// router, which has its own `SeededRandom` for weighted selection: the same seed draws
/// the same inputs on every run, so a failure names its seed and reproduces.
public struct SplitMix: Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// A number in `0..<bound` (`bound` must be positive).
    public mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Int(value % UInt64(max(1, bound)))
    }
}
