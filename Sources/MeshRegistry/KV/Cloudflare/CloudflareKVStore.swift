import Foundation
import MeshSyntax
import WireJSON

/// Workers KV through the Cloudflare REST API v4 (docs/guide/registry.md).
///
/// Every call is bounded: each HTTP attempt ends within `timeout` even if the server never
/// answers, 429 answers are retried after their `retry-after` (at most 30 s, `maxRetries`
/// times), 5xx answers are retried with a short backoff. Errors are ``RegistryError`` values
/// whose messages, like this object's descriptions and mirror, never contain the token.
///
/// Expirations are epoch seconds, as the API reports them. ``getWithMetadata(_:)`` reads the
/// value and the metadata with two requests (the API has no single call for both) and takes
/// the expiration from the value response's `expiration` header when the server sends one.
public final class CloudflareKVStore: KVStore, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// The Cloudflare account id (`CLOUDFLARE_ACCOUNT_ID` or `mesh.registry.accountId`).
    public let accountId: String
    /// The KV namespace id.
    public let namespaceId: String
    private let token: CloudflareToken
    private let transport: CloudflareTransport

    /// Creates a store for one namespace.
    ///
    /// - Parameters:
    ///   - accountId: The account that owns the namespace.
    ///   - namespaceId: The namespace id (not its title or binding name).
    ///   - token: An API token with Workers KV Storage permission, usually `CLOUDFLARE_API_TOKEN`.
    ///     It is sent as `Authorization: Bearer` and never shown anywhere.
    ///   - baseURL: The API root; tests point it at a local server speaking the same API.
    ///   - timeout: The bound on each HTTP attempt, connection included.
    ///   - maxRetries: How many times a 429 or 5xx answer is retried before giving up.
    public init(
        accountId: String,
        namespaceId: String,
        token: String,
        baseURL: String = "https://api.cloudflare.com/client/v4",
        timeout: Duration = .seconds(10),
        maxRetries: Int = 2
    ) {
        self.accountId = accountId
        self.namespaceId = namespaceId
        self.token = CloudflareToken(token)
        let root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        // Ids and keys are percent-encoded but for the RFC 3986 unreserved characters: keys
        // may contain `/`, `?`, `#`, `%`, `:` and spaces, and each must stay one path segment.
        let namespaceBase =
            root + "/accounts/" + PercentEncoding.encode(accountId)
            + "/storage/kv/namespaces/" + PercentEncoding.encode(namespaceId) + "/"
        transport = CloudflareTransport(
            namespaceBase: namespaceBase,
            token: self.token,
            timeout: max(timeout, .milliseconds(1)),
            maxRetries: maxRetries
        )
    }

    /// `cloudflare (account …, namespace …)`.
    public var displayName: String { "cloudflare (account \(accountId), namespace \(namespaceId))" }
    /// The display name; the token is not part of any description.
    public var description: String { displayName }
    /// The display name with the type; the token is not part of any description.
    public var debugDescription: String { "CloudflareKVStore(\(displayName))" }
    /// A mirror without the token or the transport holding it, so `dump` stays safe.
    public var customMirror: Mirror {
        Mirror(
            self, children: ["accountId": accountId, "namespaceId": namespaceId, "token": token], displayStyle: .class)
    }

    /// The value of `key`, or nil when the API answers 404.
    public func get(_ key: String) async throws -> [UInt8]? {
        try await guarded {
            try await self.readValue(key)?.body
        }
    }

    /// The value with its metadata (and the expiration when the server reports it).
    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try await guarded {
            // Both reads at once: two round trips in the time of one.
            async let valueResponse = self.readValue(key)
            async let metadataResponse = self.readMetadata(key)
            guard let value = try await valueResponse else {
                _ = try? await metadataResponse
                return nil
            }
            // A key deleted between the two reads keeps its value and loses its metadata,
            // which is what a read just before the delete would have seen.
            let metadata = try await metadataResponse ?? nil
            let expiration = value.headers["expiration"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            return KVEntry(value: value.body, metadata: metadata, expiration: expiration)
        }
    }

    /// Writes `value`; as a multipart form with a `metadata` part when metadata is set.
    public func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        try await guarded {
            try KVLimits.validate(key: key)
            try KVLimits.validate(metadata: metadata)
            try KVLimits.validate(valueBytes: value.count)
            try KVLimits.validate(expirationTtl: expirationTtl)
            var request = CloudflareRequest(method: "PUT", path: "values/" + PercentEncoding.encode(key))
            if let expirationTtl { request.query = [("expiration_ttl", String(expirationTtl))] }
            if let metadata {
                // The API stores metadata as JSON; text that is not JSON would be refused
                // with a 400 after the round trip, so say so before it.
                guard case .success = WireJSON.parse(metadata) else {
                    throw RegistryError.invalidArgument("metadata for '\(key)' is not valid JSON")
                }
                let form = CloudflareMultipart(value: value, metadata: metadata)
                request.body = form.body
                request.contentType = form.contentType
            } else {
                request.body = value
                request.contentType = "application/octet-stream"
            }
            let response = try await self.transport.send(request)
            try self.requireSuccess(response, request: request)
        }
    }

    /// Deletes `key`; an absent key (200 or 404) is not an error.
    public func delete(_ key: String) async throws {
        try await guarded {
            try KVLimits.validate(key: key)
            let request = CloudflareRequest(method: "DELETE", path: "values/" + PercentEncoding.encode(key))
            let response = try await self.transport.send(request)
            if response.status == 404 { return }
            try self.requireSuccess(response, request: request)
        }
    }

    /// One page of keys with metadata. The API pages hold 10 to 1000 keys, so `limit` is
    /// clamped into that range: a limit below 10 returns up to 10 keys.
    public func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        try await guarded {
            var query: [(String, String)] = []
            if let prefix, !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let cursor, !cursor.isEmpty { query.append(("cursor", cursor)) }
            let pageSize = min(max(limit ?? KVLimits.maximumListLimit, 10), KVLimits.maximumListLimit)
            query.append(("limit", String(pageSize)))
            let request = CloudflareRequest(method: "GET", path: "keys", query: query)
            let response = try await self.transport.send(request)
            try self.requireSuccess(response, request: request)
            let page = try CloudflareListing.page(from: response.body, label: request.label)
            if let next = page.cursor, next == cursor {
                // Following it would loop forever in `listAll`.
                throw RegistryError.failed("the Cloudflare API returned the same cursor again for \(request.label)")
            }
            return page
        }
    }

    // MARK: - Reads

    private func readValue(_ key: String) async throws -> CloudflareResponse? {
        try KVLimits.validate(key: key)
        let request = CloudflareRequest(method: "GET", path: "values/" + PercentEncoding.encode(key))
        let response = try await transport.send(request)
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else { throw self.unexpected(response, request: request) }
        return response
    }

    /// nil when the key is absent; `.some(nil)` when it has no metadata.
    private func readMetadata(_ key: String) async throws -> String?? {
        try KVLimits.validate(key: key)
        let request = CloudflareRequest(method: "GET", path: "metadata/" + PercentEncoding.encode(key))
        let response = try await transport.send(request)
        if response.status == 404 { return nil }
        try self.requireSuccess(response, request: request)
        return .some(try CloudflareListing.metadata(from: response.body, label: request.label))
    }

    // MARK: - Answers

    /// Throws unless the answer is a 2xx whose envelope (when there is one) says success.
    private func requireSuccess(_ response: CloudflareResponse, request: CloudflareRequest) throws {
        guard (200..<300).contains(response.status) else { throw self.unexpected(response, request: request) }
        if case .success(let json) = WireJSON.parse(response.body), json["success"]?.boolValue == false {
            throw RegistryError.failed(
                "Cloudflare API reported failure for \(request.label)" + transport.detail(response)
            )
        }
    }

    private func unexpected(_ response: CloudflareResponse, request: CloudflareRequest) -> RegistryError {
        let message = "Cloudflare API answered \(response.status) for \(request.label)" + transport.detail(response)
        return response.status == 400 || response.status == 413 ? .invalidArgument(message) : .failed(message)
    }

    /// Runs `body` so that whatever leaves it is a ``RegistryError`` with the token redacted.
    private func guarded<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RegistryError {
            throw error.mapDetail(token.redact)
        } catch {
            // Nothing else is thrown today; never show an unknown error's text, it is not ours.
            throw RegistryError.failed("the Cloudflare backend failed unexpectedly (\(type(of: error)))")
        }
    }
}
