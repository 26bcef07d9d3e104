import WireJSON

/// Reads the JSON envelopes of the listing and metadata endpoints.
enum CloudflareListing {
    /// A `GET keys` envelope as a page: `result` is `[{name, expiration?, metadata?}]`,
    /// `result_info.cursor` is empty (or absent) on the last page.
    static func page(from body: [UInt8], label: String) throws -> KVListPage {
        let json = try envelope(body, label: label)
        guard let items = json["result"]?.arrayValue else {
            throw RegistryError.failed("the Cloudflare API listing for \(label) has no result array")
        }
        var keys: [KVKey] = []
        keys.reserveCapacity(items.count)
        for item in items {
            guard let name = item["name"]?.stringValue else {
                throw RegistryError.failed("the Cloudflare API listing for \(label) has a key without a name")
            }
            keys.append(
                KVKey(name: name, expiration: expiration(item["expiration"]), metadata: text(of: item["metadata"])))
        }
        let cursor = json["result_info"]?["cursor"]?.stringValue
        return KVListPage(keys: keys, cursor: cursor?.isEmpty == false ? cursor : nil)
    }

    /// A `GET metadata/<key>` envelope's `result` as JSON text; nil when it is null.
    static func metadata(from body: [UInt8], label: String) throws -> String? {
        text(of: try envelope(body, label: label)["result"])
    }

    private static func envelope(_ body: [UInt8], label: String) throws -> JSONValue {
        switch WireJSON.parse(body) {
        case .success(let json) where json.objectValue != nil:
            return json
        case .success:
            throw RegistryError.failed("the Cloudflare API answer to \(label) is not a JSON object")
        case .failure:
            throw RegistryError.failed("the Cloudflare API answer to \(label) is not JSON")
        }
    }

    /// Compact JSON text of a metadata value, the form the other backends store.
    private static func text(of value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        return WireJSON.serialize(value)
    }

    /// Epoch seconds; the API sends integers, a fractional number is truncated.
    private static func expiration(_ value: JSONValue?) -> Int64? {
        if let integer = value?.intValue { return integer }
        guard let number = value?.doubleValue, number.isFinite, abs(number) < 9e15 else { return nil }
        return Int64(number)
    }
}
