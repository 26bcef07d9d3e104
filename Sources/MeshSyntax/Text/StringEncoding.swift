/// Encoding of Swift strings as JSON string literals, the inverse of ``StringDecoding``:
/// for the text that quick fixes, completions and generated configs insert.
public enum StringEncoding {
    /// `text` as a JSON string literal: quotes, backslashes and every control character
    /// escaped (the short escapes where JSON has them, `\u00XX` otherwise), everything else
    /// as it is.
    public static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{8}": result += "\\b"
            case "\u{C}": result += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
