import Crypto
import WireJSON

/// The deployed mesh config, the value of `mesh:config` (docs/guide/registry.md): the config text
/// as pushed, with `{"sha256": "<hex of value>", "deployedAt": <epoch ms>}` as metadata so
/// that `config diff` and `check --live` can compare without reading the text.
public struct MeshConfigRecord: Sendable, Hashable {
    /// The config text exactly as deployed.
    public var text: String
    /// Lower-case hex SHA-256 of the text's UTF-8 bytes.
    public var sha256: String
    /// When it was deployed, epoch milliseconds; nil when the value was written without
    /// metadata (by `kv put`, say).
    public var deployedAt: Int64?

    /// A record of `text` deployed at `deployedAt`; the digest is computed.
    public init(text: String, deployedAt: Int64?) {
        self.text = text
        self.sha256 = Self.digest(of: Array(text.utf8))
        self.deployedAt = deployedAt
    }

    /// The value bytes.
    public var value: [UInt8] { Array(text.utf8) }

    /// The metadata JSON text.
    public func metadata() -> String {
        let object: JSONObject = ["sha256": .string(sha256), "deployedAt": .orNull(deployedAt)]
        return WireJSON.serialize(.object(object))
    }

    /// Lower-case hex SHA-256 (swift-crypto) of `bytes`.
    public static func digest(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Reads the record from a value and its metadata. Throws ``RegistryError/corrupt(_:)``
    /// naming `key` when the value is not UTF-8, the metadata is not shaped as above, or
    /// its digest does not match the value (a torn or hand-edited write).
    public static func decode(value: [UInt8], metadata: String?, key: String = RegistryKeys.meshConfig)
        throws(RegistryError) -> MeshConfigRecord
    {
        guard let text = String(validating: value, as: UTF8.self) else {
            throw .corrupt("\(key): the value is not UTF-8 text")
        }
        var record = MeshConfigRecord(text: text, deployedAt: nil)
        guard let metadata else { return record }
        let fields = try RecordFields.parse(metadata: metadata, subject: key)
        record.deployedAt = try fields.optionalInt64("deployedAt")
        if let stored = try fields.optionalString("sha256"), stored.lowercased() != record.sha256 {
            throw .corrupt("\(key): the metadata's sha256 \(stored) does not match the value (\(record.sha256))")
        }
        return record
    }
}
