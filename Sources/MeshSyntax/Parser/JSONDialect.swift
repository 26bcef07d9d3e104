/// Which flavour of JSON a document is read as.
public enum JSONDialect: Sendable, Hashable {
    /// RFC 8259 exactly: comments and trailing commas are syntax errors.
    ///
    /// Where RFC 8259 leaves a choice, every dialect decides the same way: invalid UTF-8
    /// anywhere is an error, a leading UTF-8 byte order mark is ignored, duplicate keys
    /// are allowed (the later value wins), and a lone surrogate escape such as `"\ud800"`
    /// is accepted and decodes to U+FFFD.
    case strict
    /// A `.json` mesh config: comments are accepted, a trailing comma is a hint (DM103)
    /// and a duplicate key is an error (DM102).
    case json
    /// A `.jsonc` mesh config: comments and trailing commas are silent, a duplicate key is a warning.
    case jsonc

    /// The dialect of a file, from its name: `.jsonc` files are JSONC, everything else is `.json`.
    public static func forFile(named path: String) -> JSONDialect {
        path.lowercased().hasSuffix(".jsonc") ? .jsonc : .json
    }
}

/// Options for ``JSONParser/parse(_:options:)``.
public struct ParseOptions: Sendable, Hashable {
    /// The dialect.
    public var dialect: JSONDialect
    /// The deepest nesting of arrays and objects accepted before DM104; deeper content is
    /// skipped without recursion. The parser recurses once per accepted level, so a limit
    /// far above the default needs a correspondingly large thread stack.
    public var maxDepth: Int
    /// The most syntax diagnostics reported; past it one final note says how many were left out,
    /// so a binary file does not flood the output.
    public var maxDiagnostics: Int

    /// Creates options; the defaults are those of a `.jsonc` mesh config.
    public init(dialect: JSONDialect = .jsonc, maxDepth: Int = 256, maxDiagnostics: Int = 100) {
        self.dialect = dialect
        self.maxDepth = maxDepth
        self.maxDiagnostics = maxDiagnostics
    }
}
