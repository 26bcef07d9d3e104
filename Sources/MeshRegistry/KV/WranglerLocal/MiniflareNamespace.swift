import Crypto

/// How Miniflare 3+ names the SQLite file of a KV namespace on disk (docs/guide/registry.md,
/// "wrangler-local").
///
/// Each namespace is a Durable Object of class `KVNamespaceObject` whose id is derived from
/// the namespace id with the same keyed hashes as workerd's `idFromName`, so the file name
/// must be computed exactly the same way for `wrangler dev` and these tools to share data.
public enum MiniflareNamespace {
    /// The Durable Object "unique key" Miniflare uses for KV namespaces.
    public static let kvUniqueKey = "miniflare-KVNamespaceObject"

    /// The directory under `<state>/v3/kv` that holds the namespace databases.
    public static let objectDirectoryName = kvUniqueKey

    /// The database file name (`<hex>.sqlite`) of the KV namespace `namespaceId`.
    public static func databaseFileName(namespaceId: String) -> String {
        durableObjectName(uniqueKey: kvUniqueKey, name: namespaceId) + ".sqlite"
    }

    /// The 64 lowercase hex characters of `nameHmac || hmac`, where
    /// `key = SHA-256(uniqueKey)`, `nameHmac = HMAC-SHA256(key, name)[0..<16]` and
    /// `hmac = HMAC-SHA256(key, nameHmac)[0..<16]`.
    public static func durableObjectName(uniqueKey: String, name: String) -> String {
        let key = SymmetricKey(data: SHA256.hash(data: Array(uniqueKey.utf8)))
        let nameHmac = Array(HMAC<SHA256>.authenticationCode(for: Array(name.utf8), using: key).prefix(16))
        let hmac = Array(HMAC<SHA256>.authenticationCode(for: nameHmac, using: key).prefix(16))
        return hexString(nameHmac + hmac)
    }

    /// Lowercase hex, two characters a byte.
    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
