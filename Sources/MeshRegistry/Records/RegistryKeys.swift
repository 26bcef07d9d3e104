/// The keys of the registry namespace (docs/guide/registry.md, "Keys and records").
///
/// Service names cannot contain `:` (docs/guide/config-reference.md allows only lowercase letters, digits and
/// `-`), so `health:<service>:` never prefixes another service's keys. Endpoint ids can
/// contain anything (they default to URLs), which is why they are percent-encoded.
public enum RegistryKeys {
    /// The deployed mesh config.
    public static let meshConfig = "mesh:config"

    /// The registration of service `name`.
    public static func service(_ name: String) -> String {
        "service:" + name
    }

    /// The health record of one endpoint; `endpointId` is percent-encoded.
    public static func health(service: String, endpointId: String) -> String {
        healthPrefix(service: service) + percentEncoded(endpointId)
    }

    /// The prefix of every health record of every service.
    public static let healthKeyPrefix = "health:"

    /// The service a health key belongs to, or nil when `key` is not a health key.
    public static func service(fromHealthKey key: String) -> String? {
        guard key.hasPrefix(healthKeyPrefix) else { return nil }
        let rest = key.dropFirst(healthKeyPrefix.count)
        guard let colon = rest.firstIndex(of: ":"), colon > rest.startIndex else { return nil }
        return String(rest[..<colon])
    }

    /// The prefix shared by every health record of `service`, for one listing per service.
    public static func healthPrefix(service: String) -> String {
        healthKeyPrefix + service + ":"
    }

    /// The endpoint id of a health key of `service`, or nil when `key` is not one or its
    /// suffix is not valid percent-encoding of UTF-8.
    public static func endpointId(fromHealthKey key: String, service: String) -> String? {
        let prefix = healthPrefix(service: service)
        guard key.hasPrefix(prefix) else { return nil }
        return percentDecoded(String(key.dropFirst(prefix.count)))
    }

    /// Encodes every byte of the UTF-8 text except the RFC 3986 unreserved characters
    /// (`A-Z a-z 0-9 - . _ ~`) as `%XX` with upper-case hex.
    public static func percentEncoded(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Reverses ``percentEncoded(_:)``; accepts either hex case. Nil for a truncated or
    /// non-hex escape, or bytes that are not UTF-8 (a key written by something else).
    public static func percentDecoded(_ text: String) -> String? {
        var output: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                continue
            }
            guard let high = bytes.next().flatMap(hexValue), let low = bytes.next().flatMap(hexValue) else {
                return nil
            }
            output.append(high << 4 | low)
        }
        return String(validating: output, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
