import WireJSON

/// The metadata of `mesh:plan` (docs/guide/registry.md): the route plan `config push`
/// compiles from the config it writes to `mesh:config`, which the edge Worker loads
/// (docs/edge.md, "The route plan"). `{"sha256": "<hex of the plan>", "configSha256": "<hex
/// of the config>", "format": 3, "deployedAt": <epoch ms>}`: the Worker believes a plan
/// only once its bytes hash to `sha256`, and names the config it serves by `configSha256`.
public struct MeshPlanRecord: Sendable, Hashable {
    /// Lower-case hex SHA-256 of the plan's bytes.
    public var sha256: String
    /// Lower-case hex SHA-256 of the config text the plan was compiled from.
    public var configSHA256: String
    /// The plan's format version.
    public var format: Int
    /// When it was deployed, epoch milliseconds.
    public var deployedAt: Int64

    /// The record of `plan`'s bytes, compiled from the config whose digest is `configSHA256`.
    public init(plan: [UInt8], configSHA256: String, format: Int, deployedAt: Int64) {
        sha256 = MeshConfigRecord.digest(of: plan)
        self.configSHA256 = configSHA256
        self.format = format
        self.deployedAt = deployedAt
    }

    /// The sha256 of the config a stored plan was compiled from, read from its metadata:
    /// nil when the plan has none (a hand-written `kv put`). Throws
    /// ``RegistryError/corrupt(_:)`` when the metadata is not shaped as above.
    public static func configSHA256(fromMetadata metadata: String?) throws(RegistryError) -> String? {
        guard let metadata else { return nil }
        let fields = try RecordFields.parse(metadata: metadata, subject: RegistryKeys.meshPlan)
        return try fields.optionalString("configSha256")?.lowercased()
    }

    /// The metadata JSON text.
    public func metadata() -> String {
        let object: JSONObject = [
            "sha256": .string(sha256), "configSha256": .string(configSHA256), "format": .int(Int64(format)),
            "deployedAt": .int(deployedAt),
        ]
        return WireJSON.serialize(.object(object))
    }
}
