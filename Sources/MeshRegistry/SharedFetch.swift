import Dispatch
import Synchronization

/// One registry read shared by every caller asking the same question, bounded by a
/// deadline that does not depend on the work ever finishing.
///
/// Why not a task group: a group waits for every child before returning, and a store call
/// stuck on a dead socket or a locked file may never finish or notice cancellation. Why a
/// Dispatch timer that resumes the waiting callers itself: the cooperative pool has only
/// a few threads (two on a two-core machine), and when blocking work holds them (a store
/// in a synchronous SQLite busy wait), every extra task hop between the timer and the
/// caller would push the answer past the deadline. Here the timer fires on its own thread
/// and hands the timeout straight to the callers' continuations.
final class SharedFetch<Value: Sendable>: SettledFetch {
    private enum State {
        case pending([CheckedContinuation<RegistryAnswer<Value>, Never>])
        case done(RegistryAnswer<Value>, completedAt: Double)
    }

    private let state = Mutex<State>(.pending([]))
    private let now: @Sendable () -> Double

    /// Starts `operation` and the timer; the first to finish decides the answer.
    init(within limit: Duration, describing what: String, now: @escaping @Sendable () -> Double,
         _ operation: @escaping @Sendable () async throws -> Value) {
        self.now = now
        let work = Task { [self] in
            let answer: RegistryAnswer<Value>
            do {
                answer = .value(try await operation(), fetchedAt: now())
            } catch let error as RegistryError {
                answer = .unavailable(error)
            } catch {
                answer = .unavailable(.failed("\(what): \(error)"))
            }
            finish(answer)
        }
        let (seconds, attoseconds) = limit.components
        let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(max(0, nanoseconds))) { [self] in
            // When the work has already answered, the gate is closed and this does nothing.
            if finish(.unavailable(.timeout("\(what) took longer than \(milliseconds) ms"))) {
                work.cancel()
            }
        }
    }

    /// The answer and when it was settled, once there is one.
    var completed: (answer: RegistryAnswer<Value>, at: Double)? {
        state.withLock { state in
            guard case .done(let answer, let at) = state else { return nil }
            return (answer, at)
        }
    }

    var settledAt: Double? { completed?.at }

    /// Waits for the answer (at most until the deadline).
    func answer() async -> RegistryAnswer<Value> {
        await withCheckedContinuation { continuation in
            let ready: RegistryAnswer<Value>? = state.withLock { state in
                switch state {
                case .pending(let waiting):
                    state = .pending(waiting + [continuation])
                    return nil
                case .done(let answer, _):
                    return answer
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Settles the answer unless it is settled already; true when this call settled it.
    @discardableResult
    private func finish(_ answer: RegistryAnswer<Value>) -> Bool {
        let settledAt = now()
        let waiting: [CheckedContinuation<RegistryAnswer<Value>, Never>]? = state.withLock { state in
            guard case .pending(let waiting) = state else { return nil }
            state = .done(answer, completedAt: settledAt)
            return waiting
        }
        guard let waiting else { return false }
        for continuation in waiting { continuation.resume(returning: answer) }
        return true
    }
}

/// What the reader's cache needs of a fetch whatever its value type.
protocol SettledFetch: Sendable {
    /// When the answer was settled, nil while the fetch is in flight.
    var settledAt: Double? { get }
}
