import Foundation
import MeshRegistry

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
    /// Only a regular file of at most ``maximumFileSize`` bytes is read: a request about a
    /// FIFO or a device must not hold its task forever (docs/security.md).
    static func readFromDisk(_ uri: String) -> [UInt8]? {
        guard let path = filePath(uri) else { return nil }
        return try? WorkspaceFile.read(path, limit: maximumFileSize).get()
    }

    /// The largest file read from disk for a request about a document that is not open.
    static let maximumFileSize = 256 << 20
}
