import Foundation

/// What the server needs to know about a document URI: its file path, if any, and the
/// name that picks the JSON dialect.
enum DocumentURI {
    /// The local path of a `file:` URI (percent-decoded), or nil for other schemes.
    static func filePath(_ uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        let path = url.path
        return path.isEmpty ? nil : path
    }

    /// The name whose extension selects the dialect: `.json` files are strict about
    /// duplicates and trailing commas, everything else is JSONC. An untitled buffer
    /// takes the dialect from its language id.
    static func dialectName(uri: String, languageID: String?) -> String {
        let lowered = uri.lowercased()
        if lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonc") { return lowered }
        return languageID == "json" ? "document.json" : "document.jsonc"
    }

    /// The bytes of the file behind `uri`, or nil when it is not a readable local file.
    static func readFromDisk(_ uri: String) -> [UInt8]? {
        guard let path = filePath(uri), let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }
}
