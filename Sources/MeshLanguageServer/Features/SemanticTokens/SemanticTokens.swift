import MeshConfig
import MeshRouter
import MeshSyntax

/// `textDocument/semanticTokens/full`: what plain JSON colouring cannot tell apart.
/// Service names where they are defined and wherever they are referenced, rule names, and
/// the parts of path patterns (literal text, `:params`, `*`), cut by the router's own
/// pattern parser so the colours show exactly what matches.
enum SemanticTokens {
    /// The token types, in the order of the legend the server announces.
    enum Kind: Int, Sendable, CaseIterable {
        case service, rule, literal, parameter, wildcard

        /// The standard LSP token type each kind is shown as.
        var legendName: String {
            switch self {
            case .service: "class"
            case .rule: "function"
            case .literal: "string"
            case .parameter: "parameter"
            case .wildcard: "operator"
            }
        }
    }

    /// The modifiers of the legend: a service's definition is a declaration.
    static let modifiers = ["declaration"]

    /// One token.
    struct Token: Sendable, Equatable {
        var range: ByteRange
        var kind: Kind
        var isDeclaration = false
    }

    /// The tokens of `analysis`, in document order, none overlapping.
    static func tokens(in analysis: DocumentAnalysis) -> [Token] {
        var tokens = ServiceSymbols.occurrences(in: analysis).map {
            Token(range: $0.range, kind: .service, isDeclaration: $0.isDefinition)
        }
        let bytes = analysis.source.bytes
        for rule in analysis.config.routing.rules {
            if let name = rule.name { tokens.append(Token(range: name.range, kind: .rule)) }
            guard let path = rule.path, case .success(let pattern) = PathPattern.parse(path.value),
                // Offsets into the value are offsets into the text only without escapes.
                path.range.length == path.value.utf8.count + 2, bytes[path.range.start] == UInt8(ascii: "\"")
            else { continue }
            let body = path.range.start + 1
            for piece in pattern.pieces {
                let kind: Kind =
                    switch piece.kind {
                    case .literal: .literal
                    case .parameter: .parameter
                    case .wildcard: .wildcard
                    }
                tokens.append(
                    Token(
                        range: ByteRange(start: body + piece.range.lowerBound, end: body + piece.range.upperBound),
                        kind: kind))
            }
        }
        tokens.sort { $0.range.start < $1.range.start }
        var result: [Token] = []
        for token in tokens where token.range.length > 0 {
            if let last = result.last, last.range.end > token.range.start { continue }
            result.append(token)
        }
        return result
    }

    /// `tokens` in LSP's relative encoding: per token, the line delta, the start delta
    /// (from the previous token on the same line), the length, the type and the modifier
    /// bits, in the client's position encoding. A token that crosses a line (none of ours
    /// can: JSON strings are one line) would be dropped.
    static func encode(_ tokens: [Token], lineIndex: LineIndex, encoding: PositionEncoding) -> [Int] {
        var data: [Int] = []
        data.reserveCapacity(tokens.count * 5)
        var previous = LinePosition(line: 0, character: 0)
        for token in tokens {
            let start = lineIndex.position(of: token.range.start, in: encoding)
            let end = lineIndex.position(of: token.range.end, in: encoding)
            guard end.line == start.line, end.character > start.character else { continue }
            let deltaLine = start.line - previous.line
            let deltaStart = deltaLine == 0 ? start.character - previous.character : start.character
            data += [
                deltaLine, deltaStart, end.character - start.character, token.kind.rawValue,
                token.isDeclaration ? 1 : 0,
            ]
            previous = start
        }
        return data
    }
}
