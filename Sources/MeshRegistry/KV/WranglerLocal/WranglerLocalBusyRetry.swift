import GRDB

/// Runs a statement of the wrangler-local store again when SQLite answered "busy" sooner than
/// the busy timeout could have run out.
///
/// The busy timeout makes SQLite wait for another process's lock, but some "busy" answers come
/// at once, with no wait that could help: a reader that meets another process cleaning up or
/// recovering the WAL, a connection opening while `wrangler dev` changes the journal mode. The
/// same statement a moment later succeeds. So an early "busy" is tried again after a pause
/// that doubles from 1 ms up to 50 ms, until ``WranglerLocalKVStore/busyTimeout`` has passed
/// since the first try; a "busy" after SQLite's own wait ran out ends at once.
enum WranglerLocalBusyRetry {
    /// The longest pause between two tries.
    static let longestPause = Duration.milliseconds(50)

    /// `operation`'s result, tried again on an early "busy" for up to `budget`.
    static func run<Result>(
        budget: Duration = .seconds(WranglerLocalKVStore.busyTimeout), _ operation: () async throws -> Result
    ) async throws -> Result {
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        var pause = Duration.milliseconds(1)
        while true {
            do {
                return try await operation()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && clock.now + pause < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, longestPause)
            }
        }
    }
}
