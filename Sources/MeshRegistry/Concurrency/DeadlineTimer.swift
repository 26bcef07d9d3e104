import Dispatch
import Synchronization

/// A deadline timer on a Dispatch thread rather than the cooperative pool: the pool has
/// only a few threads (two on a two-core machine), and when blocking work holds them (a
/// synchronous SQLite busy wait) a `Task.sleep` timer would fire late, pushing answers
/// past their deadline.
final class DeadlineTimer: Sendable {
    private let cancelled = Atomic<Bool>(false)

    private init() {}

    /// Runs `action` after `limit` unless the returned timer is cancelled first.
    @discardableResult
    static func after(_ limit: Duration, _ action: @escaping @Sendable () -> Void) -> DeadlineTimer {
        let timer = DeadlineTimer()
        let (seconds, attoseconds) = limit.components
        let delay: Int
        if seconds < 0 {
            delay = 0
        } else if seconds >= Int64(Int.max / 1_000_000_000) - 1 {
            delay = Int.max
        } else {
            delay = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(delay)) {
            if !timer.cancelled.load(ordering: .acquiring) { action() }
        }
        return timer
    }

    /// Stops the timer; its action will not run.
    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    /// `limit` in whole milliseconds, for messages.
    static func milliseconds(_ limit: Duration) -> Int64 {
        let (seconds, attoseconds) = limit.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
