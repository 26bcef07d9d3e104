import Synchronization

/// A value behind a mutex, shareable across tasks.
///
/// `Mutex` is non-copyable; wrapping it in a class lets several owners hold the same lock.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try mutex.withLock { value in try body(&value) }
    }

    /// A copy of the value.
    var value: Value { mutex.withLock { $0 } }
}
