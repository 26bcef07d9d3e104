import GRDB
import Testing

@testable import MeshRegistry

/// An early "busy" from SQLite is tried again until the budget is spent; anything else, and a
/// "busy" past the budget, ends at once.
struct WranglerLocalBusyRetryTests {
    /// Runs an operation that fails with `failures` errors of `code` before succeeding, and
    /// answers how many tries it took and whether it succeeded.
    func check(
        failures: Int, code: ResultCode, budget: Duration, expectedTries: ClosedRange<Int>, succeeds: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        var tries = 0
        do {
            let answer = try await WranglerLocalBusyRetry.run(budget: budget) {
                tries += 1
                if tries <= failures { throw DatabaseError(resultCode: code, message: "database is locked") }
                return 42
            }
            #expect(succeeds && answer == 42, sourceLocation: sourceLocation)
        } catch let error as DatabaseError {
            #expect(!succeeds && error.resultCode == code, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
        #expect(expectedTries.contains(tries), "\(tries) tries", sourceLocation: sourceLocation)
    }

    @Test func earlyBusyIsTriedAgain() async {
        await check(failures: 3, code: .SQLITE_BUSY, budget: .seconds(5), expectedTries: 4...4, succeeds: true)
    }

    @Test func otherErrorsEndAtOnce() async {
        await check(failures: 3, code: .SQLITE_CORRUPT, budget: .seconds(5), expectedTries: 1...1, succeeds: false)
        await check(failures: 3, code: .SQLITE_LOCKED, budget: .seconds(5), expectedTries: 1...1, succeeds: false)
    }

    @Test func busyEndsWhenTheBudgetIsSpent() async {
        // Pauses of 1, 2, 4, 8, 16 ms fit in 40 ms; the next would not.
        await check(
            failures: .max, code: .SQLITE_BUSY, budget: .milliseconds(40), expectedTries: 2...6, succeeds: false)
        await check(failures: .max, code: .SQLITE_BUSY, budget: .zero, expectedTries: 1...1, succeeds: false)
    }
}
