/// The identity of a node in a ``SyntaxTree``.
public struct NodeID: Hashable, Sendable, Comparable {
    /// The node's index in the tree's storage (nodes are stored in document order).
    public let rawValue: Int32

    @usableFromInline
    init(_ rawValue: Int32) { self.rawValue = rawValue }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a node of the syntax tree is.
public enum SyntaxKind: UInt8, Sendable, Hashable {
    /// The whole file; its one child is the top-level value (absent in an empty file).
    case document
    /// `{ ... }`; its children are `.member` nodes (and `.error` nodes for junk).
    case object
    /// `"key": value`; its first child is the key, its second (if any) the value.
    case member
    /// `[ ... ]`; its children are the elements (and `.error` nodes for junk).
    case array
    case string
    case number
    case trueLiteral
    case falseLiteral
    case nullLiteral
    /// Bytes that could not be parsed as what was expected there.
    case error

    /// A human name for messages ("object", "string", ...).
    public var displayName: String {
        switch self {
        case .document: "document"
        case .object: "object"
        case .member: "property"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .trueLiteral, .falseLiteral: "boolean"
        case .nullLiteral: "null"
        case .error: "invalid value"
        }
    }

    /// The kind as a noun phrase for messages about a value ("an object", "null").
    public var nounPhrase: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .trueLiteral, .falseLiteral: "a boolean"
        case .nullLiteral: "null"
        case .document, .member, .error: "a value that does not parse"
        }
    }
}

/// The compact storage of one node: its byte range and its place in the tree, 16 bytes.
///
/// Nodes are stored in document order and a node's descendants follow it, so a node's
/// first child and next sibling need not be stored: the first child is the next node when
/// the node's subtree does not end there, and the next sibling is the node just past the
/// subtree when that is still inside the parent's. The kind is kept in an array of its own,
/// so the record stays four 32-bit words (a 2 MB config has about 330,000 nodes; with
/// child and sibling links and the kind inline they took 28 bytes each).
@usableFromInline
struct RawNode: Sendable {
    @usableFromInline var start: Int32
    @usableFromInline var end: Int32
    /// The parent's index; -1 for the document.
    @usableFromInline var parent: Int32
    /// The index one past the node's last descendant.
    @usableFromInline var subtreeEnd: Int32

    @usableFromInline
    init(start: Int32, end: Int32, parent: Int32, subtreeEnd: Int32) {
        self.start = start
        self.end = end
        self.parent = parent
        self.subtreeEnd = subtreeEnd
    }
}

/// A parsed JSONC document: a lossless token list, a tree of nodes over it, and the
/// syntax diagnostics found while parsing.
///
/// Nodes live in one flat array in document order (a node's descendants follow it), so a
/// 10 MB config costs a few allocations rather than millions.
public struct SyntaxTree: Sendable {
    /// Everything a tree holds, in one object: a tree is copied wherever it is passed and
    /// by every `children` sequence, and with its five arrays and the text as fields of
    /// the struct each copy cost five reference counts (a quarter of `check`'s time went
    /// to retaining and releasing them).
    @usableFromInline
    final class Storage: Sendable {
        let source: SourceText
        let tokens: [Token]
        let diagnostics: [Diagnostic]
        let dialect: JSONDialect
        @usableFromInline let nodes: [RawNode]
        /// The kind of each node, by index.
        @usableFromInline let kinds: [SyntaxKind]

        init(
            source: SourceText, tokens: [Token], nodes: [RawNode], kinds: [SyntaxKind], diagnostics: [Diagnostic],
            dialect: JSONDialect
        ) {
            self.source = source
            self.tokens = tokens
            self.nodes = nodes
            self.kinds = kinds
            self.diagnostics = diagnostics
            self.dialect = dialect
        }
    }

    @usableFromInline let storage: Storage

    /// The text the tree was parsed from.
    public var source: SourceText { storage.source }
    /// Every token, comments included; whitespace is the gap between tokens.
    public var tokens: [Token] { storage.tokens }
    /// The syntax diagnostics (DM101-DM104), in document order, at most
    /// `ParseOptions.maxDiagnostics` of them plus one final note counting the rest.
    public var diagnostics: [Diagnostic] { storage.diagnostics }
    /// The dialect the text was read as.
    public var dialect: JSONDialect { storage.dialect }

    init(
        source: SourceText, tokens: [Token], nodes: [RawNode], kinds: [SyntaxKind], diagnostics: [Diagnostic],
        dialect: JSONDialect
    ) {
        storage = Storage(
            source: source, tokens: tokens, nodes: nodes, kinds: kinds, diagnostics: diagnostics, dialect: dialect)
    }

    /// The same tree in objects of its own: the text, tokens and nodes are shared, not
    /// copied, but the objects that hold them are new.
    ///
    /// Every read of a tree retains and releases the objects that hold it, and when two
    /// threads read one tree those counts are updated from two cores, each update waiting
    /// for the other core's: a second thread reads a copy made this way.
    public func forAnotherThread() -> SyntaxTree {
        SyntaxTree(
            source: SourceText(sharing: source), tokens: tokens, nodes: storage.nodes, kinds: storage.kinds,
            diagnostics: diagnostics, dialect: dialect)
    }

    /// The document node.
    public var root: NodeID { NodeID(0) }

    /// The top-level value, if the document has one.
    ///
    /// Junk before or after the value is kept in `.error` children of the document, so
    /// this is the first child that is not junk; a document that holds only junk (`tru`)
    /// answers its first `.error` node, which models report as an invalid value.
    public var rootValue: NodeID? {
        let first = firstChild(of: root)
        return children(root).first { kind($0) != .error } ?? first
    }

    /// The number of nodes in the tree.
    public var nodeCount: Int { storage.nodes.count }

    /// Whether parsing found any error-severity problem.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    // The accessors below are inlinable: the schema validator, the model builder and the
    // router's checks call them hundreds of thousands of times on a large config, and a
    // call into this module for each cost more than the read it makes.

    /// The kind of `node`.
    @inlinable
    public func kind(_ node: NodeID) -> SyntaxKind { storage.kinds[Int(node.rawValue)] }

    /// The bytes `node` spans.
    @inlinable
    public func range(_ node: NodeID) -> ByteRange {
        let raw = storage.nodes[Int(node.rawValue)]
        return ByteRange(start: Int(raw.start), end: Int(raw.end))
    }

    /// The node that contains `node`, or nil for the document.
    @inlinable
    public func parent(_ node: NodeID) -> NodeID? {
        let parent = storage.nodes[Int(node.rawValue)].parent
        return parent < 0 ? nil : NodeID(parent)
    }

    /// The first child of `node`.
    @inlinable
    public func firstChild(of node: NodeID) -> NodeID? {
        let child = node.rawValue + 1
        return storage.nodes[Int(node.rawValue)].subtreeEnd > child ? NodeID(child) : nil
    }

    /// The sibling after `node`.
    @inlinable
    public func nextSibling(of node: NodeID) -> NodeID? {
        let raw = storage.nodes[Int(node.rawValue)]
        guard raw.parent >= 0 else { return nil }
        return storage.nodes[Int(raw.parent)].subtreeEnd > raw.subtreeEnd ? NodeID(raw.subtreeEnd) : nil
    }

    /// The children of `node`, in document order.
    @inlinable
    public func children(_ node: NodeID) -> Children { Children(tree: self, first: firstChild(of: node)) }

    /// A sequence over a node's children that allocates nothing.
    public struct Children: Sequence, Sendable {
        @usableFromInline let tree: SyntaxTree
        @usableFromInline let first: NodeID?

        @usableFromInline
        init(tree: SyntaxTree, first: NodeID?) {
            self.tree = tree
            self.first = first
        }

        @inlinable
        public func makeIterator() -> Iterator { Iterator(tree: tree, upcoming: first) }

        public struct Iterator: IteratorProtocol, Sendable {
            @usableFromInline let tree: SyntaxTree
            @usableFromInline var upcoming: NodeID?

            @usableFromInline
            init(tree: SyntaxTree, upcoming: NodeID?) {
                self.tree = tree
                self.upcoming = upcoming
            }

            @inlinable
            public mutating func next() -> NodeID? {
                guard let current = upcoming else { return nil }
                upcoming = tree.nextSibling(of: current)
                return current
            }
        }
    }

    /// The raw source text of `node`.
    public func text(_ node: NodeID) -> String { source.text(in: range(node)) }
}
