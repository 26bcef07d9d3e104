import Synchronization

/// The line index of a ``SourceText``, built on first use.
///
/// Only findings need positions, so `check` of a config without findings never builds
/// it: for a 2 MB config that was a pass over every byte and a 100,000-entry array, before
/// the parse could start. Texts that share their bytes (``SourceText/init(sharing:)``)
/// share the cell, so the index is built once for them all, whichever thread asks first.
final class LineIndexCell: Sendable {
    private let bytes: [UInt8]
    private let index = Mutex<LineIndex?>(nil)

    /// A cell for the index of `bytes`, not built yet.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The index, built by the first caller.
    var value: LineIndex {
        index.withLock { index in
            if let index { return index }
            let built = LineIndex(bytes: bytes)
            index = built
            return built
        }
    }
}

#if hasFeature(Embedded)
    /// Embedded Swift for wasm32 (`scripts/wasm-check.sh`) has a Synchronization module
    /// without `Mutex`, because a plain wasm32 module has one thread and nothing to wait on.
    /// This stand-in gives ``LineIndexCell`` and the modules above (the router's state) the
    /// one call they make, `withLock`, so they compile there from the same source; natively
    /// the real `Mutex` is used.
    ///
    /// It is only sound while the module runs on one thread: a build for wasm threads
    /// (shared memory and atomics) would need a real lock here.
    public final class Mutex<Value>: @unchecked Sendable {
        private var value: Value

        /// A lock holding `value`.
        public init(_ value: Value) {
            self.value = value
        }

        /// Runs `body` with the value.
        public func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
            body(&value)
        }
    }
#endif
