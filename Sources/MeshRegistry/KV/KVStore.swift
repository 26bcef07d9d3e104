/// One key of a KV listing, as the KV API reports it.
public struct KVKey: Sendable, Hashable {
    /// The key.
    public var name: String
    /// When the key expires, in epoch **seconds** (as the KV API reports it), if it does.
    public var expiration: Int64?
    /// The key's metadata as JSON text, if any.
    public var metadata: String?

    /// Creates a listed key.
    public init(name: String, expiration: Int64? = nil, metadata: String? = nil) {
        self.name = name
        self.expiration = expiration
        self.metadata = metadata
    }
}

/// A value with its metadata and expiration.
public struct KVEntry: Sendable, Hashable {
    /// The raw value bytes.
    public var value: [UInt8]
    /// The metadata as JSON text, if any.
    public var metadata: String?
    /// Epoch seconds, if the key expires.
    public var expiration: Int64?

    /// Creates an entry.
    public init(value: [UInt8], metadata: String? = nil, expiration: Int64? = nil) {
        self.value = value
        self.metadata = metadata
        self.expiration = expiration
    }
}

/// One page of a listing; `cursor` is nil on the last page.
public struct KVListPage: Sendable, Hashable {
    /// The keys, ordered by name.
    public var keys: [KVKey]
    /// Where the next page starts, nil when this is the last.
    public var cursor: String?

    /// Creates a page.
    public init(keys: [KVKey], cursor: String?) {
        self.keys = keys
        self.cursor = cursor
    }
}

/// The one KV protocol of docs/guide/registry.md, implemented by the wrangler-local store, the
/// Cloudflare REST API and an in-memory store for unit tests.
///
/// Every method throws ``RegistryError`` only, whose messages are safe to show: they
/// never contain a credential.
public protocol KVStore: Sendable {
    /// A human name for messages (`wrangler-local (.wrangler/state/v3/kv)`).
    var displayName: String { get }
    /// The value of `key`, or nil when it is absent or expired.
    func get(_ key: String) async throws -> [UInt8]?
    /// The value with its metadata, or nil when absent or expired.
    func getWithMetadata(_ key: String) async throws -> KVEntry?
    /// Writes `value` with optional metadata (JSON text, at most 1024 bytes) and TTL in seconds.
    func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws
    /// Deletes `key`; deleting an absent key is not an error.
    func delete(_ key: String) async throws
    /// One page of the keys starting with `prefix`, ordered by name, with metadata.
    func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage
}

extension KVStore {
    /// Every key starting with `prefix`, following cursors to the end.
    public func listAll(prefix: String?, pageLimit: Int = 1000) async throws -> [KVKey] {
        var keys: [KVKey] = []
        var cursor: String?
        repeat {
            let page = try await list(prefix: prefix, cursor: cursor, limit: pageLimit)
            keys.append(contentsOf: page.keys)
            cursor = page.cursor
        } while cursor != nil
        return keys
    }
}

/// The limits of Workers KV that every backend enforces the same way.
public enum KVLimits {
    /// Keys are at most 512 bytes.
    public static let maximumKeyBytes = 512
    /// Metadata is at most 1024 bytes of JSON.
    public static let maximumMetadataBytes = 1024
    /// Values are at most 25 MiB.
    public static let maximumValueBytes = 25 << 20
    /// The shortest TTL the KV API accepts, in seconds.
    public static let minimumTTL = 60
    /// The largest page a listing returns.
    public static let maximumListLimit = 1000

    /// Checks a key against the KV rules.
    public static func validate(key: String) throws {
        guard !key.isEmpty else { throw RegistryError.invalidArgument("a key cannot be empty") }
        guard key.utf8.count <= maximumKeyBytes else {
            throw RegistryError.invalidArgument(
                "key is \(key.utf8.count) bytes; keys are at most \(maximumKeyBytes) bytes")
        }
        guard key != ".", key != ".." else { throw RegistryError.invalidArgument("'\(key)' is not a valid key") }
    }

    /// Checks metadata against the KV rules.
    public static func validate(metadata: String?) throws {
        guard let metadata else { return }
        guard metadata.utf8.count <= maximumMetadataBytes else {
            throw RegistryError.invalidArgument(
                "metadata is \(metadata.utf8.count) bytes; at most \(maximumMetadataBytes) are allowed")
        }
    }

    /// Checks a value's size against the KV rules.
    public static func validate(valueBytes count: Int) throws {
        guard count <= maximumValueBytes else {
            throw RegistryError.invalidArgument(
                "value is \(count) bytes; Workers KV values are at most 25 MiB (\(maximumValueBytes) bytes)")
        }
    }

    /// Checks a TTL against the KV rules.
    public static func validate(expirationTtl: Int?) throws {
        guard let expirationTtl else { return }
        guard expirationTtl >= minimumTTL else {
            throw RegistryError.invalidArgument(
                "expiration TTL \(expirationTtl) s is below the KV minimum of \(minimumTTL) s")
        }
    }
}
