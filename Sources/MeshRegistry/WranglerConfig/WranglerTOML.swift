import TOMLKit

/// `kv_namespaces` from `wrangler.toml` (`[[kv_namespaces]]` tables or an inline array),
/// read with TOMLKit; its parse errors become messages with the file, line and column.
enum WranglerTOML {
    static func kvNamespaces(_ bytes: [UInt8], path: String) -> Result<[WranglerConfig.KVNamespace], RegistryError> {
        // TOMLKit hands the text to C as a C string, so a NUL would silently cut the
        // document short; TOML forbids NUL anyway.
        if let offset = bytes.firstIndex(of: 0) {
            return .failure(.notConfigured("\(path):\(Self.line(at: offset, in: bytes)): invalid TOML: NUL byte"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let line = Self.line(at: Self.firstInvalidUTF8(in: bytes), in: bytes)
            return .failure(.notConfigured("\(path):\(line): invalid TOML: the file is not UTF-8"))
        }
        // toml++ (inside TOMLKit) asserts on many malformed documents instead of throwing;
        // see TOMLSyntaxCheck. Only syntactically valid TOML goes further.
        if let syntax = TOMLSyntaxCheck.check(bytes) {
            return .failure(.notConfigured("\(path):\(syntax.line):\(syntax.column): invalid TOML: \(syntax.message)"))
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let start = error.source.begin
            return .failure(.notConfigured("\(path):\(start.line):\(start.column): invalid TOML: \(error.description)"))
        } catch {
            return .failure(.notConfigured("\(path): invalid TOML: \(error)"))
        }
        guard let list = table["kv_namespaces"] else { return .success([]) }
        guard let array = list.array else {
            return .failure(.notConfigured("\(path): kv_namespaces must be an array of tables"))
        }
        var entries: [WranglerConfig.KVNamespace] = []
        for (index, element) in array.enumerated() {
            guard let entry = element.table else {
                return .failure(.notConfigured("\(path): kv_namespaces[\(index)] must be a table"))
            }
            var strings: [String: String] = [:]
            for name in ["binding", "id", "preview_id"] {
                guard let value = entry[name] else { continue }
                guard let text = value.string else {
                    return .failure(.notConfigured("\(path): kv_namespaces[\(index)].\(name) must be a string"))
                }
                strings[name] = text
            }
            guard let binding = strings["binding"] else {
                return .failure(.notConfigured("\(path): kv_namespaces[\(index)] has no binding"))
            }
            entries.append(
                WranglerConfig.KVNamespace(binding: binding, id: strings["id"], previewId: strings["preview_id"]))
        }
        return .success(entries)
    }

    /// The 1-based line of byte `offset`.
    private static func line(at offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// The offset of the first byte that is not part of well-formed UTF-8.
    private static func firstInvalidUTF8(in bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput, .error: return offset
            }
        }
    }
}
