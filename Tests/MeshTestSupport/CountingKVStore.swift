import MeshRegistry
import Synchronization

/// Wraps a store and counts the calls that reach it.
public final class CountingKVStore: KVStore {
    public let base: any KVStore
    private let counts = Mutex<[String: Int]>([:])

    public init(_ base: any KVStore) {
        self.base = base
    }

    /// Calls by method (`get`, `getWithMetadata`, `list`, ...).
    public func count(_ method: String) -> Int { counts.withLock { $0[method] ?? 0 } }
    /// Every call.
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }
    /// The prefixes listed, in call order.
    private let listed = Mutex<[String]>([])
    public var listedPrefixes: [String] { listed.withLock { $0 } }

    private func note(_ method: String) { counts.withLock { $0[method, default: 0] += 1 } }

    public var displayName: String { "counting \(base.displayName)" }

    public func get(_ key: String) async throws -> [UInt8]? {
        note("get")
        return try await base.get(key)
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        note("getWithMetadata")
        return try await base.getWithMetadata(key)
    }

    public func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        note("put")
        try await base.put(key, value: value, metadata: metadata, expirationTtl: expirationTtl)
    }

    public func delete(_ key: String) async throws {
        note("delete")
        try await base.delete(key)
    }

    public func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        note("list")
        listed.withLock { $0.append(prefix ?? "") }
        return try await base.list(prefix: prefix, cursor: cursor, limit: limit)
    }
}
