import CJSONC

/// Drives json-c's tokener over one complete document and turns its tree into a ``JSONValue``.
enum JsonCParser {
    /// Parses `bytes` as exactly one JSON document; see `WireJSON.parse(_:strict:maxDepth:)`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, strict: Bool, maxDepth: Int) -> Result<
        JSONValue, WireJSONError
    > {
        // json_tokener_parse_ex takes an `int` length that must also cover the NUL terminator.
        guard bytes.count < Int(Int32.max) else {
            return .failure(WireJSONError(message: "input exceeds json-c's 2 GiB limit", offset: nil))
        }
        if bytes.allSatisfy(JSONWhitespace.contains) {
            return .failure(WireJSONError(message: "empty document", offset: bytes.count))
        }
        let lexicalProblem = LexicalScanner(bytes: bytes, strict: strict).firstProblem()
        // json-c is still run when the scanner objected, so that an earlier structural
        // error wins and the reported offset is the first problem in the input.
        let tokenerOutcome = withTree(of: bytes, strict: strict, maxDepth: maxDepth) { tree in
            Result { () throws(WireJSONError) in try JsonCTreeReader.value(of: tree, strict: strict) }
        }
        switch tokenerOutcome {
        case .failure(let structural):
            return .failure(earlier(lexicalProblem, structural))
        case .success(let value):
            if let lexicalProblem {
                return .failure(lexicalProblem)
            }
            return value
        }
    }

    /// Runs the tokener and hands the tree to `body` while json-c still owns it.
    ///
    /// The outer failure is a json-c error (syntax, depth, trailing data); the inner
    /// result is whatever `body` made of a successfully parsed tree.
    private static func withTree<T>(
        of bytes: UnsafeBufferPointer<UInt8>, strict: Bool, maxDepth: Int,
        _ body: (OpaquePointer?) -> T
    ) -> Result<T, WireJSONError> {
        // json-c 0.16 crashes in json_tokener_new_ex(0), so the depth is at least 1.
        guard let tokener = json_tokener_new_ex(Int32(clamping: max(1, maxDepth))) else {
            return .failure(WireJSONError(message: "json-c could not allocate a tokener", offset: nil))
        }
        json_tokener_set_flags(tokener, strict ? JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8 : 0)

        // The input is read in place. json-c asks for more when it could still be inside a
        // value (a top-level number may have more digits); one NUL byte then tells it the
        // input is complete. Copying the input to add the NUL cost a second copy of every
        // message, 2 MB for a full-text change of a 2 MB config.
        var tree = bytes.withMemoryRebound(to: CChar.self) {
            json_tokener_parse_ex(tokener, $0.baseAddress, Int32($0.count))
        }
        var status = json_tokener_get_error(tokener)
        var end = min(json_tokener_get_parse_end(tokener), bytes.count)
        if tree == nil, status == json_tokener_continue {
            let terminator: [CChar] = [0]
            tree = terminator.withUnsafeBufferPointer { json_tokener_parse_ex(tokener, $0.baseAddress, 1) }
            status = json_tokener_get_error(tokener)
            end = bytes.count
        }
        // The tokener is let go before the tree is read: it holds a buffer as large as the
        // longest string, which is the whole text of a full-text change.
        json_tokener_free(tokener)
        defer { json_object_put(tree) }

        guard status == json_tokener_success else {
            return .failure(tokenerError(status, offset: end, maxDepth: maxDepth))
        }
        // json-c stops after one value (and, in lenient mode, the whitespace and comments
        // after it), so anything left over is a second value or garbage.
        if let trailing = bytes[end...].firstIndex(where: { !JSONWhitespace.contains($0) }) {
            return .failure(WireJSONError(message: "unexpected data after the top-level value", offset: trailing))
        }
        return .success(body(tree))
    }

    /// Describes a tokener failure in json-c's words, naming the limit for depth errors.
    private static func tokenerError(_ status: json_tokener_error, offset: Int, maxDepth: Int) -> WireJSONError {
        switch status {
        case json_tokener_error_depth:
            return WireJSONError(message: "nesting deeper than maxDepth \(max(1, maxDepth))", offset: offset)
        case json_tokener_continue:
            return WireJSONError(message: "unexpected end of data", offset: offset)
        default:
            let description = json_tokener_error_desc(status).map { String(cString: $0) } ?? "parse error"
            return WireJSONError(message: description, offset: offset)
        }
    }

    /// The scanner's problem when it lies at or before json-c's, otherwise json-c's.
    private static func earlier(_ lexical: WireJSONError?, _ structural: WireJSONError) -> WireJSONError {
        guard let lexical else { return structural }
        guard let lexicalOffset = lexical.offset, let structuralOffset = structural.offset else { return lexical }
        return lexicalOffset <= structuralOffset ? lexical : structural
    }
}
