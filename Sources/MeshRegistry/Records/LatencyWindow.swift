/// The latency statistics of one endpoint over its most recent probes (docs/guide/registry.md,
/// `latencyMs` of a health record): the last sample, p50 and p95 over a window of the
/// newest ``capacity`` samples, and an exponentially weighted moving average over all.
///
/// Percentiles use the nearest-rank method on the sorted window: the value is always one
/// that was observed, and with few samples p95 is the slowest one rather than an
/// interpolation towards a value nobody saw.
public struct LatencyWindow: Sendable, Hashable {
    /// How many samples the window keeps (docs/guide/registry.md: up to 32).
    public static let capacity = 32
    /// The weight of the newest sample in the EWMA. 0.3 follows a change within a handful of
    /// probes (about 90% after 6) while one outlier moves it by less than a third.
    public static let ewmaWeight = 0.3

    /// The samples in milliseconds, oldest first, at most ``capacity``.
    public private(set) var samples: [Double]
    /// The moving average, nil before the first sample.
    public private(set) var ewma: Double?

    /// An empty window, or one continued from a stored record's samples and average.
    public init(samples: [Double] = [], ewma: Double? = nil) {
        let finite = samples.filter { $0.isFinite && $0 >= 0 }
        self.samples = Array(finite.suffix(Self.capacity))
        self.ewma = ewma.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } ?? self.samples.last
    }

    /// Adds one sample; non-finite or negative values (a clock hiccup) are ignored.
    public mutating func add(_ milliseconds: Double) {
        guard milliseconds.isFinite, milliseconds >= 0 else { return }
        if samples.count == Self.capacity { samples.removeFirst() }
        samples.append(milliseconds)
        ewma = ewma.map { Self.ewmaWeight * milliseconds + (1 - Self.ewmaWeight) * $0 } ?? milliseconds
    }

    /// The newest sample.
    public var last: Double? { samples.last }
    /// The median of the window.
    public var p50: Double? { percentile(50) }
    /// The 95th percentile of the window.
    public var p95: Double? { percentile(95) }

    /// The nearest-rank percentile `p` (0...100) of the window, nil when it is empty.
    public func percentile(_ p: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((min(max(p, 0), 100) / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension LatencyWindow {
    /// The window as the `latencyMs` of a health record.
    public var stats: HealthRecord.LatencyStats {
        HealthRecord.LatencyStats(last: last, p50: p50, p95: p95, ewma: ewma, samples: samples)
    }
}
