/// One registry read shared by every caller asking the same question, bounded by a
/// deadline that does not depend on the work ever finishing.
///
/// The work and a ``DeadlineTimer`` race for one ``FirstAnswer``; the timer hands the
/// timeout straight to the waiting callers, so a store call stuck on a dead socket or a
/// locked file costs them the deadline and nothing more.
final class SharedFetch<Value: Sendable>: SettledFetch {
    private let first = FirstAnswer<(answer: RegistryAnswer<Value>, at: Double)>()

    /// Starts `operation` and the timer; the first to finish decides the answer.
    init(
        within limit: Duration, describing what: String, now: @escaping @Sendable () -> Double,
        _ operation: @escaping @Sendable () async throws -> Value
    ) {
        let first = first
        let work = Task {
            let answer: RegistryAnswer<Value>
            do {
                answer = .value(try await operation(), fetchedAt: now())
            } catch let error as RegistryError {
                answer = .unavailable(error)
            } catch {
                answer = .unavailable(.failed("\(what): \(error)"))
            }
            first.settle((answer, now()))
        }
        let milliseconds = DeadlineTimer.milliseconds(limit)
        let timer = DeadlineTimer.after(limit) {
            first.settle((.unavailable(.timeout("\(what) took longer than \(milliseconds) ms")), now()))
        }
        first.whenSettled {
            timer.cancel()
            // A work that lost is told so; one that won has finished anyway.
            work.cancel()
        }
    }

    /// The answer and when it was settled, once there is one.
    var completed: (answer: RegistryAnswer<Value>, at: Double)? { first.value }

    var settledAt: Double? { completed?.at }

    /// Waits for the answer (at most until the deadline).
    func answer() async -> RegistryAnswer<Value> {
        await first.wait().answer
    }
}

/// What the reader's cache needs of a fetch whatever its value type.
protocol SettledFetch: Sendable {
    /// When the answer was settled, nil while the fetch is in flight.
    var settledAt: Double? { get }
}
