import MeshRegistry
import Synchronization

/// A store whose every call hangs forever and ignores cancellation, like a read stuck on a
/// dead connection: continuations are kept (so the runtime does not report them leaked)
/// and never resumed.
public final class HangingKVStore: KVStore {
    private let parked = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let calls = Mutex(0)

    /// How many calls reached the store.
    public init() {}

    public var callCount: Int { calls.withLock { $0 } }

    private func hang() async {
        calls.withLock { $0 += 1 }
        await withCheckedContinuation { continuation in
            parked.withLock { $0.append(continuation) }
        }
    }

    public var displayName: String { "hanging" }

    public func get(_ key: String) async throws -> [UInt8]? {
        await hang()
        return nil
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        await hang()
        return nil
    }

    public func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        await hang()
    }

    public func delete(_ key: String) async throws {
        await hang()
    }

    public func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        await hang()
        return KVListPage(keys: [], cursor: nil)
    }
}
