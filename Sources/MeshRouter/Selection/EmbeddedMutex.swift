#if hasFeature(Embedded)
    /// Embedded Swift for wasm32 (`scripts/wasm-check.sh`) has a Synchronization module
    /// without `Mutex`, because a plain wasm32 module has one thread and nothing to wait on.
    /// This stand-in gives ``RouterState`` the one `Mutex` call it makes, `withLock`, so the
    /// router compiles there from the same source; natively the real `Mutex` is used.
    ///
    /// It is only sound while the module runs on one thread: a build for wasm threads
    /// (shared memory and atomics) would need a real lock here.
    final class Mutex<Value>: @unchecked Sendable {
        private var value: Value

        init(_ value: Value) {
            self.value = value
        }

        func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
            body(&value)
        }
    }
#endif
