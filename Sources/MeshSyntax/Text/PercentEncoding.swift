/// Percent-encoding of UTF-8 text (RFC 3986, section 2.1), the one encoder and decoder
/// behind registry keys, Cloudflare API paths, SARIF URIs and the router's path
/// normalization. Which bytes stay as they are is each caller's choice: a key keeps only
/// the unreserved characters, a URI path also keeps `/`, and a normalized request path
/// encodes only what the WHATWG path percent-encode set lists.
public enum PercentEncoding {
    /// `text`'s UTF-8 bytes, each byte for which `keeping` is false written as `%XX` with
    /// upper-case hex digits and every other byte as it is. `keeping` should only keep
    /// ASCII bytes, so the result is ASCII text.
    public static func encode<Text: StringProtocol>(
        _ text: Text,
        keeping: (UInt8) -> Bool = isUnreserved
    ) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        encode(bytes: text.utf8, keeping: keeping, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// ``encode(_:keeping:)`` of bytes, appended to `output`.
    public static func encode<Bytes: Sequence<UInt8>>(
        bytes: Bytes, keeping: (UInt8) -> Bool = isUnreserved, into output: inout [UInt8]
    ) {
        for byte in bytes {
            if keeping(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// Reverses ``encode(_:keeping:)`` whatever it kept; accepts either hex case. Nil for a
    /// truncated or non-hex escape, or bytes that are not UTF-8 (text written by something
    /// else).
    public static func decode(_ text: String) -> String? {
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

    /// Whether `byte` is one of the RFC 3986 unreserved characters, `A-Z a-z 0-9 - . _ ~`,
    /// which never need encoding anywhere in a URI.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
