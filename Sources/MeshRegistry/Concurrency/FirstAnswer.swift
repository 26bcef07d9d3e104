import Dispatch
import Synchronization

/// An answer settled once, by whichever of several racers gets there first (the work, its
/// deadline timer, the caller's cancellation), and handed to every caller waiting for it.
///
/// This is the registry's one "first of work and timer wins" primitive. A task group would
/// be the obvious race, but a group returns only once *every* child has finished: a store
/// call stuck on a dead socket or a locked file, or a URLSession task that ignores
/// cancellation, would hold the caller with it. Here a waiting caller is resumed by the
/// settling call itself and never waits for the loser.
final class FirstAnswer<Value: Sendable>: Sendable {
    private enum State {
        case pending(waiting: [CheckedContinuation<Value, Never>], cleanups: [@Sendable () -> Void])
        case settled(Value)
    }

    private let state = Mutex<State>(.pending(waiting: [], cleanups: []))

    init() {}

    /// The answer, once settled.
    var value: Value? {
        state.withLock { state in
            guard case .settled(let value) = state else { return nil }
            return value
        }
    }

    /// Settles the answer unless it is settled already; true when this call settled it.
    /// Waiting callers are resumed and cleanups run after the lock is released, since a
    /// cleanup (cancelling a URLSession task) may call back into a racer that settles.
    @discardableResult
    func settle(_ value: Value) -> Bool {
        let pending: ([CheckedContinuation<Value, Never>], [@Sendable () -> Void])? = state.withLock { state in
            guard case .pending(let waiting, let cleanups) = state else { return nil }
            state = .settled(value)
            return (waiting, cleanups)
        }
        guard let (waiting, cleanups) = pending else { return false }
        for cleanup in cleanups { cleanup() }
        for continuation in waiting { continuation.resume(returning: value) }
        return true
    }

    /// Waits for the answer.
    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = state.withLock { state in
                switch state {
                case .pending(let waiting, let cleanups):
                    state = .pending(waiting: waiting + [continuation], cleanups: cleanups)
                    return nil
                case .settled(let value):
                    return value
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Runs `cleanup` once the answer is settled, or at once when it already is: this is
    /// where the losers (a timer, a transfer) are cancelled.
    func whenSettled(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            guard case .pending(let waiting, let cleanups) = state else { return true }
            state = .pending(waiting: waiting, cleanups: cleanups + [cleanup])
            return false
        }
        if runNow { cleanup() }
    }
}
