import MeshRegistry
import WireJSON

/// One setting of lsp.md: its key, type, default and documentation, and how it is read
/// into ``LiveSettings``. The table below is the single description of the settings: the
/// reader walks it and `diddy-mesh lsp --print-settings` prints it, so the editor
/// manifests can be checked against what the server really reads.
struct SettingDescriptor: Sendable {
    /// The JSON type of a setting's value.
    enum ValueType: String, Sendable {
        case string, integer, number, boolean
    }

    /// The key below `diddyMesh`, dotted (`live.deadlineMs`).
    let key: String
    let type: ValueType
    let defaultValue: JSONValue
    let description: String
    /// The allowed strings, for enum settings.
    let choices: [String]
    /// Stores a value of the right type; false when the value does not fit.
    let apply: @Sendable (JSONValue, inout LiveSettings) -> Bool

    var path: [String] { key.split(separator: ".").map(String.init) }

    static let all: [SettingDescriptor] = [
        SettingDescriptor(
            key: "registry", type: .string, defaultValue: .null,
            description: "Where live data comes from: the on-disk store of `wrangler dev`, the Cloudflare API, or nowhere. Unset picks by the rules of registry.md (cloudflare when an account and CLOUDFLARE_API_TOKEN are configured, else wrangler-local).",
            choices: RegistryBackendChoice.allCases.map(\.rawValue)
        ) { value, settings in
            guard let choice = value.stringValue.flatMap(RegistryBackendChoice.init(rawValue:)) else { return false }
            settings.registry = choice
            return true
        },
        SettingDescriptor(
            key: "persistTo", type: .string, defaultValue: .null,
            description: "wrangler's state folder (`wrangler dev --persist-to`); the KV store is read from `<persistTo>/v3/kv`. Unset: `.wrangler/state` next to the wrangler config.",
            choices: []
        ) { value, settings in
            guard let text = value.stringValue else { return false }
            settings.persistTo = text.isEmpty ? nil : text
            return true
        },
        SettingDescriptor(
            key: "namespaceId", type: .string, defaultValue: .null,
            description: "The KV namespace id, overriding `mesh.registry` and the wrangler config's binding.",
            choices: []
        ) { value, settings in
            guard let text = value.stringValue else { return false }
            settings.namespaceId = text.isEmpty ? nil : text
            return true
        },
        SettingDescriptor(
            key: "accountId", type: .string, defaultValue: .null,
            description: "The Cloudflare account id for the cloudflare registry. The API token is read from CLOUDFLARE_API_TOKEN in the server's environment, never from settings.",
            choices: []
        ) { value, settings in
            guard let text = value.stringValue else { return false }
            settings.accountId = text.isEmpty ? nil : text
            return true
        },
        SettingDescriptor(
            key: "live.deadlineMs", type: .integer, defaultValue: 500,
            description: "The longest hover and code lens wait for the registry, in milliseconds; past it they answer with what they have and say why live data is missing.",
            choices: []
        ) { value, settings in
            guard let number = value.doubleValue, number >= 1, number <= 60_000 else { return false }
            settings.deadlineMs = Int(number)
            return true
        },
        SettingDescriptor(
            key: "live.cacheSeconds", type: .number, defaultValue: 5,
            description: "How long a registry answer (or failure) is reused before the registry is asked again, in seconds.",
            choices: []
        ) { value, settings in
            guard let number = value.doubleValue, number >= 0, number <= 86_400 else { return false }
            settings.cacheSeconds = number
            return true
        },
        SettingDescriptor(
            key: "health.staleAfterSeconds", type: .number, defaultValue: 30,
            description: "Health records older than this many seconds are shown as stale.",
            choices: []
        ) { value, settings in
            guard let number = value.doubleValue, number > 0 else { return false }
            settings.staleAfterSeconds = number
            return true
        },
        SettingDescriptor(
            key: "diagnostics.live", type: .boolean, defaultValue: true,
            description: "Publish the live diagnostics DM601-DM604 when a registry is configured. They arrive after the static ones and never delay them.",
            choices: []
        ) { value, settings in
            guard let flag = value.boolValue else { return false }
            settings.liveDiagnostics = flag
            return true
        },
    ]
}

/// The server's settings for editor manifests and docs.
public enum ServerSettings {
    /// Every setting the server reads, as a JSON object keyed by the full setting name
    /// (`diddyMesh.live.deadlineMs`), each with `type`, `default`, `description` and, for
    /// enums, `enum`.
    public static func descriptionJSON() -> String {
        var object = JSONObject()
        for descriptor in SettingDescriptor.all {
            var entry: JSONObject = [
                "type": .string(descriptor.type.rawValue),
                "default": descriptor.defaultValue,
                "description": .string(descriptor.description),
            ]
            if !descriptor.choices.isEmpty { entry["enum"] = .array(descriptor.choices.map { .string($0) }) }
            object["diddyMesh." + descriptor.key] = .object(entry)
        }
        return WireJSON.serialize(.object(object), pretty: true)
    }
}
