import Foundation
import MeshConfig
import Synchronization

/// Runs the second piece of an analysis on a thread of its own while the calling thread
/// runs the first, so that `check` of a large config uses two cores: schema validation
/// beside model building, the router's checks beside MeshConfig's (``PairRunner``).
///
/// A thread of its own rather than the concurrency pool or a Dispatch queue: the caller
/// blocks until both pieces are done, and a pool thread blocked that way may be the one
/// the other piece waits for.
struct ThreadPairRunner: PairRunner {
    /// The stack of the thread: the validator recurses once per level of nesting, which
    /// the parser bounds (256 levels), and a new thread's default stack may be smaller
    /// than the main thread's.
    static let stackSize = 8 << 20

    func run<First, Second: Sendable>(_ first: () -> First, _ second: @escaping @Sendable () -> Second) -> (
        First, Second
    ) {
        let slot = ResultSlot<Second>()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            slot.store(second())
            finished.signal()
        }
        thread.stackSize = Self.stackSize
        thread.start()
        let firstResult = first()
        finished.wait()
        // The slot is filled before the signal; running `second` here again is only the
        // answer the types ask for when it is not.
        return (firstResult, slot.take() ?? second())
    }
}

/// The result of the piece that ran on the other thread, handed over under a lock.
private final class ResultSlot<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func store(_ newValue: Value) { value.withLock { $0 = newValue } }

    func take() -> Value? { value.withLock { $0.take() } }
}
