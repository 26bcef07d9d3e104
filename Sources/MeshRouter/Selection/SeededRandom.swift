/// A small, fast, seedable random source (SplitMix64) whose sequence is the same on every
/// platform and Swift version, so previews, tests and benchmarks are reproducible.
///
/// Use ``nextUnit()`` and ``nextIndex(below:)`` rather than the standard library's
/// `Double.random(in:using:)` / `Int.random(in:using:)` where reproducibility matters: the
/// standard library does not promise how it maps generator output to ranges.
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
    /// The generator's whole state; SplitMix64 walks it by a fixed odd increment.
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    /// A uniform draw in `[0, 1)` with 53 bits of precision.
    public mutating func nextUnit() -> Double {
        SeededRandom.unit(next())
    }

    /// A uniform integer in `0..<bound`; 0 when `bound <= 1`.
    public mutating func nextIndex(below bound: Int) -> Int {
        SeededRandom.index(below: bound, using: &self)
    }

    /// The SplitMix64 output function: a bijective 64-bit mixer. Also used to spread hash
    /// values whose high bits are weak (FNV-1a) before they are mapped to `[0, 1)`.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Maps 64 random bits to `[0, 1)` using the top 53 bits (exactly representable).
    public static func unit(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` from any generator, without modulo bias
    /// (Lemire's multiply-and-reject), defined here so the mapping never changes.
    public static func index<Generator: RandomNumberGenerator>(below bound: Int, using generator: inout Generator)
        -> Int
    {
        guard bound > 1 else { return 0 }
        let range = UInt64(bound)
        // Values below `threshold` in the low half would make some results more likely.
        let threshold = (0 &- range) % range
        while true {
            let product = generator.next().multipliedFullWidth(by: range)
            if product.low >= threshold {
                return Int(product.high)
            }
        }
    }
}
