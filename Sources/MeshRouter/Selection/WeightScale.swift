/// Keeps sums of weights finite: weights near the top of the double range (a config may
/// write `1e308`) would add up to infinity, and a split or a smooth weighted cycle would
/// then have no usable total.
///
/// The scale is a power of two, so it changes no weight's value beyond its exponent, and
/// it is 1 unless the largest weight is within 2^64 of overflowing: ordinary weights give
/// exactly the sums, draws and picks they always gave.
struct WeightScale {
    private let factor: Double

    /// The scale for weights whose largest is `largest`.
    init(largest: Double) {
        let limit = 0x1p960
        if largest.isFinite, largest > limit {
            factor = Double(sign: .plus, exponent: 960 - largest.exponent, significand: 1)
        } else {
            factor = 1
        }
    }

    /// The scale for these weights.
    init(_ weights: [Double]) {
        self.init(largest: weights.max() ?? 0)
    }

    /// `weight` on the scale.
    func apply(_ weight: Double) -> Double {
        weight * factor
    }
}
