import Foundation
import Synchronization

/// An in-memory KV store for unit tests, with the same listing, expiration and limit
/// rules as the real backends.
public final class MemoryKVStore: KVStore {
    private struct Stored {
        var value: [UInt8]
        var metadata: String?
        var expiration: Int64?
    }

    private let entries = Mutex<[String: Stored]>([:])
    private let now: @Sendable () -> Int64

    /// Creates an empty store; `now` (epoch seconds) is injectable so tests can expire keys.
    public init(now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.now = now
    }

    public var displayName: String { "memory" }

    public func get(_ key: String) async throws -> [UInt8]? {
        try await getWithMetadata(key)?.value
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVLimits.validate(key: key)
        let current = now()
        return entries.withLock { entries in
            guard let stored = entries[key], stored.expiration.map({ $0 > current }) ?? true else { return nil }
            return KVEntry(value: stored.value, metadata: stored.metadata, expiration: stored.expiration)
        }
    }

    public func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        try KVLimits.validate(key: key)
        try KVLimits.validate(metadata: metadata)
        try KVLimits.validate(valueBytes: value.count)
        try KVLimits.validate(expirationTtl: expirationTtl)
        let expiration = expirationTtl.map { now() + Int64($0) }
        entries.withLock { $0[key] = Stored(value: value, metadata: metadata, expiration: expiration) }
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validate(key: key)
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    public func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        let current = now()
        let pageSize = min(max(1, limit ?? KVLimits.maximumListLimit), KVLimits.maximumListLimit)
        let names: [KVKey] = entries.withLock { entries in
            entries.filter { key, stored in
                (prefix.map { key.hasPrefix($0) } ?? true) && (stored.expiration.map { $0 > current } ?? true)
                    && (cursor.map { key > $0 } ?? true)
            }
            .map { KVKey(name: $0.key, expiration: $0.value.expiration, metadata: $0.value.metadata) }
        }
        let sorted = names.sorted { $0.name < $1.name }
        let page = Array(sorted.prefix(pageSize))
        return KVListPage(keys: page, cursor: sorted.count > pageSize ? page.last?.name : nil)
    }
}
