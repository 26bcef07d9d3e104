import MeshRegistry
import WireJSON

/// One setting of docs/guide/editors.md: its key, type, default and documentation, and how it is read
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

    /// A string setting stored at `property`; the empty string counts as unset.
    private static func text(
        _ key: String, _ property: WritableKeyPath<LiveSettings, String?> & Sendable, _ description: String
    ) -> SettingDescriptor {
        SettingDescriptor(key: key, type: .string, defaultValue: .null, description: description, choices: []) {
            value, settings in
            guard let text = value.stringValue else { return false }
            settings[keyPath: property] = text.isEmpty ? nil : text
            return true
        }
    }

    /// A number setting stored at `property`, accepted within `range`.
    private static func number(
        _ key: String, _ property: WritableKeyPath<LiveSettings, Double> & Sendable, default defaultValue: Double,
        accepting range: ClosedRange<Double>, _ description: String
    ) -> SettingDescriptor {
        // A whole default prints as `5`, as settings files write it, not `5.0`.
        let printed: JSONValue =
            defaultValue.rounded() == defaultValue ? .int(Int64(defaultValue)) : .double(defaultValue)
        return SettingDescriptor(key: key, type: .number, defaultValue: printed, description: description, choices: [])
        { value, settings in
            guard let number = value.doubleValue, range.contains(number) else { return false }
            settings[keyPath: property] = number
            return true
        }
    }

    static let all: [SettingDescriptor] = [
        SettingDescriptor(
            key: "registry", type: .string, defaultValue: .null,
            description:
                "Where live data comes from: the on-disk store of `wrangler dev`, the Cloudflare API, or nowhere. "
                + "Unset picks as docs/registry-resolution.md says (cloudflare when an account and "
                + "CLOUDFLARE_API_TOKEN are configured, else wrangler-local).",
            choices: RegistryBackendChoice.allCases.map(\.rawValue)
        ) { value, settings in
            guard let choice = value.stringValue.flatMap(RegistryBackendChoice.init(rawValue:)) else { return false }
            settings.registry = choice
            return true
        },
        .text(
            "persistTo", \.persistTo,
            "wrangler's state folder (`wrangler dev --persist-to`); the KV store is read from `<persistTo>/v3/kv`. "
                + "Unset: `.wrangler/state` next to the wrangler config."
        ),
        .text(
            "namespaceId", \.namespaceId,
            "The KV namespace id, overriding `mesh.registry` and the wrangler config's binding."),
        .text(
            "accountId", \.accountId,
            "The Cloudflare account id for the cloudflare registry. The API token is read from CLOUDFLARE_API_TOKEN "
                + "in the server's environment, never from settings."
        ),
        SettingDescriptor(
            key: "live.deadlineMs", type: .integer, defaultValue: 500,
            description:
                "The longest hover and code lens wait for the registry, in milliseconds; past it they answer with "
                + "what they have and say why live data is missing.",
            choices: []
        ) { value, settings in
            guard let number = value.doubleValue, number >= 1, number <= 60_000 else { return false }
            settings.deadlineMs = Int(number)
            return true
        },
        .number(
            "live.cacheSeconds", \.cacheSeconds, default: 5, accepting: 0...86_400,
            "How long a registry answer (or failure) is reused before the registry is asked again, in seconds."),
        .number(
            "health.staleAfterSeconds", \.staleAfterSeconds, default: 30,
            accepting: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude,
            "Health records older than this many seconds are shown as stale."),
        SettingDescriptor(
            key: "diagnostics.live", type: .boolean, defaultValue: true,
            description:
                "Publish the live diagnostics DM601-DM604 when a registry is configured. They arrive after the "
                + "static ones and never delay them.",
            choices: []
        ) { value, settings in
            guard let flag = value.boolValue else { return false }
            settings.liveDiagnostics = flag
            return true
        },
        SettingDescriptor(
            key: "allowCloudflare", type: .boolean, defaultValue: false,
            description:
                "Let the Cloudflare account and namespace ids written in this workspace's mesh and wrangler configs "
                + "receive CLOUDFLARE_API_TOKEN. Off, only ids from your own settings or environment do. Set it in "
                + "your user settings, never in a repository's.",
            choices: []
        ) { value, settings in
            guard let flag = value.boolValue else { return false }
            settings.allowCloudflare = flag
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
