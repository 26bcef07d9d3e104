/// Runs an operation against a deadline without waiting for the operation to agree.
///
/// The operation, a ``DeadlineTimer`` and the caller's cancellation race for one
/// ``FirstAnswer``; an operation that loses is left to wind down on its own, bounded by
/// the request's own timeout.
///
/// The operation is never cancelled: the caller gets its answer at the deadline whatever
/// the operation does, and AsyncHTTPClient's own deadline ends the exchange soon after.
enum CloudflareDeadline {
    /// Thrown when the deadline passes first.
    struct Expired: Error {}

    /// The operation's result, or ``Expired`` after `limit`, or `CancellationError` when the
    /// calling task is cancelled (also without waiting for the operation).
    static func run<T: Sendable>(
        within limit: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let first = FirstAnswer<Result<T, any Error>>()
        Task {
            do {
                first.settle(.success(try await operation()))
            } catch {
                first.settle(.failure(error))
            }
        }
        let timer = DeadlineTimer.after(limit) { first.settle(.failure(Expired())) }
        first.whenSettled { timer.cancel() }
        return try await withTaskCancellationHandler {
            await first.wait()
        } onCancel: {
            first.settle(.failure(CancellationError()))
        }.get()
    }
}
