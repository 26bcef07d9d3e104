/// Runs two independent pieces of an analysis and hands back both results.
///
/// The analysis knows which of its steps only read what they share (the syntax tree, the
/// model) and asks a runner to run them; whether they run at the same time is the host's
/// choice. This module compiles as Embedded Swift for the edge, which has no threads, so
/// it only names the pieces: the command line passes a runner that starts a thread, and
/// everything else keeps ``SerialPairRunner``.
public protocol PairRunner: Sendable {
    /// Runs `first` on the calling thread and `second` (perhaps on another one), and
    /// returns when both have finished.
    func run<First, Second: Sendable>(_ first: () -> First, _ second: @escaping @Sendable () -> Second) -> (
        First, Second
    )
}

/// Runs the two pieces one after the other on the calling thread: the default runner.
public struct SerialPairRunner: PairRunner {
    /// Creates the runner.
    public init() {}

    /// Runs `first`, then `second`.
    public func run<First, Second: Sendable>(_ first: () -> First, _ second: @escaping @Sendable () -> Second) -> (
        First, Second
    ) {
        let firstResult = first()
        return (firstResult, second())
    }
}
