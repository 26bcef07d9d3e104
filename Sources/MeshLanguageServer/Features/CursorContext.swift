import MeshSyntax

/// What the user is typing at a cursor: a key of some object or a value at some path.
///
/// It is worked out from the tokens around the cursor and the recovering parser's tree,
/// so it holds in half-typed documents (`"service": "us`, `{ "ti }`) as well.
enum CursorContext: Sendable, Equatable {
    /// A key of the object at `objectPath`.
    ///
    /// - `existing`: the keys the object already has (except the one being typed).
    /// - `replace`: the bytes a completion replaces (the partial key, or empty).
    /// - `hasColon`: whether a `:` already follows, so only the key is to be inserted.
    case key(objectPath: [PathComponent], existing: Set<String>, replace: ByteRange, hasColon: Bool)
    /// The value at `path`; `replace` is the partial value (a string with its quotes, or empty).
    case value(path: [PathComponent], replace: ByteRange)
    /// Somewhere nothing can be completed (inside a number, a comment, after a value).
    case none

    /// The context at `offset`.
    static func at(_ offset: Int, in tree: SyntaxTree) -> CursorContext {
        let tokens = tree.tokens
        let bytes = tree.source.bytes
        // The token the cursor is in or at the end of, if it is something being typed.
        var partial: Int?
        if let index = lastToken(startingBefore: offset, in: tokens) {
            let token = tokens[index]
            switch token.kind {
            case .string where offset < Int(token.end) || (offset == Int(token.end) && !isClosedString(token, bytes)):
                partial = index
            case .word where offset <= Int(token.end):
                partial = index
            case .lineComment, .blockComment, .number, .trueKeyword, .falseKeyword, .nullKeyword, .unknown:
                if offset < Int(token.end) { return .none }
            default:
                break
            }
        }
        let anchor = partial.map { Int(tokens[$0].start) } ?? offset
        var replace = partial.map { tokens[$0].range } ?? .empty(at: offset)
        if let index = partial, tokens[index].kind == .string, !isClosedString(tokens[index], bytes) {
            // An unterminated string runs to the end of the line; what follows the cursor
            // there is the rest of the line, not part of the name being typed.
            replace = ByteRange(start: Int(tokens[index].start), end: offset)
        }
        guard let previous = significantToken(before: anchor, in: tokens),
            let container = container(at: anchor, in: tree)
        else { return .none }
        let previousKind = tokens[previous].kind

        switch tree.kind(container) {
        case .object:
            if previousKind == .colon {
                guard let key = significantIndex(before: previous, in: tokens),
                    tokens[key].kind == .string,
                    let name = tree.string(tree.node(at: Int(tokens[key].start)))
                else { return .none }
                return .value(path: tree.path(to: container) + [.key(name)], replace: replace)
            }
            guard previousKind == .leftBrace || previousKind == .comma else { return .none }
            let typed = partial.map { tokens[$0].range }
            let existing = tree.members(of: container).filter { tree.range($0.key) != typed }.map(\.name)
            let hasColon =
                partial.flatMap { significantIndex(after: $0, in: tokens) }.map { tokens[$0].kind == .colon } ?? false
            return .key(
                objectPath: tree.path(to: container), existing: Set(existing), replace: replace, hasColon: hasColon)
        case .array:
            guard previousKind == .leftBracket || previousKind == .comma else { return .none }
            let index = tree.elements(of: container).filter { tree.range($0).end <= anchor }.count
            return .value(path: tree.path(to: container) + [.index(index)], replace: replace)
        default:
            return .none
        }
    }

    // MARK: Tokens

    /// The last token that starts before `offset`.
    static func lastToken(startingBefore offset: Int, in tokens: [Token]) -> Int? {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if Int(tokens[mid].start) < offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// The last token ending at or before `offset` that is not a comment.
    private static func significantToken(before offset: Int, in tokens: [Token]) -> Int? {
        var index = lastToken(startingBefore: offset, in: tokens)
        while let current = index {
            let token = tokens[current]
            if !token.kind.isTrivia, token.kind != .endOfInput, Int(token.end) <= offset { return current }
            index = current > 0 ? current - 1 : nil
        }
        return nil
    }

    private static func significantIndex(before index: Int, in tokens: [Token]) -> Int? {
        var current = index - 1
        while current >= 0 {
            if !tokens[current].kind.isTrivia { return current }
            current -= 1
        }
        return nil
    }

    private static func significantIndex(after index: Int, in tokens: [Token]) -> Int? {
        var current = index + 1
        while current < tokens.count {
            if !tokens[current].kind.isTrivia { return current }
            current += 1
        }
        return nil
    }

    private static func isClosedString(_ token: Token, _ bytes: [UInt8]) -> Bool {
        token.range.length >= 2 && bytes[Int(token.end) - 1] == UInt8(ascii: "\"")
    }

    // MARK: Tree

    /// The innermost object or array whose brackets enclose `offset`. A container the
    /// parser had to close at the end of input still encloses its end.
    private static func container(at offset: Int, in tree: SyntaxTree) -> NodeID? {
        var node: NodeID? = tree.node(at: offset)
        let bytes = tree.source.bytes
        while let current = node {
            let kind = tree.kind(current)
            if kind == .object || kind == .array {
                let range = tree.range(current)
                let closer = kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let closed = range.length >= 2 && bytes[range.end - 1] == closer
                if range.start < offset, offset < range.end || (!closed && offset == range.end) { return current }
            }
            node = tree.parent(current)
        }
        return nil
    }
}
