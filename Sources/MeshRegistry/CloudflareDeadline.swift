import Synchronization

/// Runs an operation against a deadline without waiting for the operation to agree.
///
/// A task group would be the obvious race, but a group only returns once *every* child has
/// finished: if the operation ignores cancellation (a URLSession task stuck in a read does
/// not always notice), the caller would hang with it. Here the caller's continuation is
/// resumed by whichever of the operation and the timer finishes first; the timer is
/// cancelled when the operation wins, and an operation that loses is left to wind down on
/// its own, bounded by the request's own timeout.
///
/// The operation is never cancelled: cancelling a Swift task that is inside
/// FoundationNetworking's `URLSession.data(for:)` while the transfer completes deadlocks
/// inside swift-corelibs-foundation (seen here: `URLSessionTask.cancel` waiting on the
/// lock `didFailWithError` holds), which hung `check --live` against a refused port.
enum CloudflareDeadline {
    /// Thrown when the deadline passes first.
    struct Expired: Error {}

    /// The operation's result, or ``Expired`` after `limit`, or `CancellationError` when the
    /// calling task is cancelled (also without waiting for the operation).
    static func run<T: Sendable>(
        within limit: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, limit: limit, operation: operation)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The shared state of one race: the first `finish` wins, later ones are ignored.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            /// A result that arrived before `start` (the caller was cancelled first).
            var early: Result<T, any Error>?
            var finished = false
            var tasks: [Task<Void, Never>] = []
        }

        private let state = Mutex(State())

        func start(
            _ continuation: CheckedContinuation<T, any Error>,
            limit: Duration,
            operation: @escaping @Sendable () async throws -> T
        ) {
            let early: Result<T, any Error>? = state.withLock { state in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early {
                continuation.resume(with: early)
                return
            }
            let work = Task {
                do {
                    self.finish(.success(try await operation()))
                } catch {
                    self.finish(.failure(error))
                }
            }
            let timer = Task {
                // A cancelled sleep means the operation won; only a full sleep expires.
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                self.finish(.failure(Expired()))
            }
            let alreadyOver = state.withLock { state in
                if state.finished { return true }
                state.tasks = [work, timer]
                return false
            }
            if alreadyOver {
                timer.cancel()
            }
            _ = work
        }

        func finish(_ result: Result<T, any Error>) {
            let (continuation, tasks): (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) = state.withLock { state in
                guard !state.finished else { return (nil, []) }
                state.finished = true
                if state.continuation == nil { state.early = result }
                defer { state.continuation = nil; state.tasks = [] }
                return (state.continuation, state.tasks)
            }
            // Only the timer is cancelled; see the type's documentation for why the
            // operation is not.
            for task in tasks.dropFirst() { task.cancel() }
            continuation?.resume(with: result)
        }
    }
}
