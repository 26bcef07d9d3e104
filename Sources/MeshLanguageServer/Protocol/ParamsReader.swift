import MeshSyntax
import WireJSON

/// Typed access to the params of a message, with `-32602` errors that name the field
/// (`params.textDocument.uri is required and must be a string`).
///
/// The reading rules are WireJSON's ``MemberReader``; this file only words its problems
/// as JSON-RPC errors and adds the LSP basics (documents, positions, ranges).
typealias ParamsReader = MemberReader<ResponseError>

extension MemberReader where Failure == ResponseError {
    /// Reads `value`, which must be an object found at `path`.
    init(_ value: JSONValue?, path: String = "params") throws(ResponseError) {
        guard let object = value?.objectValue else {
            throw .invalidParams("\(path) must be an object")
        }
        self.init(object: object, path: path, failure: Self.responseError)
    }

    /// A problem as the `-32602` error a client sees.
    @Sendable static func responseError(_ problem: MemberProblem) -> ResponseError {
        switch problem {
        case .missing(let member, let expected):
            .invalidParams("\(member) is required and must be \(expected.description)")
        case .wrongKind(let member, let expected, let found):
            .invalidParams("\(member) must be \(expected.description), not \(found.kindDescription)")
        case .invalid(let member, let detail):
            .invalidParams("\(member) \(detail)")
        }
    }

    // MARK: LSP basics

    /// `textDocument.uri`.
    func textDocumentURI() throws(ResponseError) -> String {
        try object("textDocument").string("uri")
    }

    /// A `Position`: a line and a character, both non-negative.
    func position(_ key: String = "position") throws(ResponseError) -> LinePosition {
        let reader = try object(key)
        let line = try reader.int("line")
        let character = try reader.int("character")
        guard line >= 0, character >= 0 else {
            throw .invalidParams("\(reader.path) must have a non-negative line and character")
        }
        return LinePosition(line: line, character: character)
    }

    /// A list of `Position`s (`selectionRange`'s `positions`), at most `limit` of them so
    /// that one request cannot ask for unbounded work.
    func positions(_ key: String, limit: Int = 10_000) throws(ResponseError) -> [LinePosition] {
        let items = try objects(key)
        guard items.count <= limit else { throw .invalidParams("\(path).\(key) has more than \(limit) positions") }
        var result: [LinePosition] = []
        for item in items {
            let line = try item.int("line")
            let character = try item.int("character")
            guard line >= 0, character >= 0 else {
                throw .invalidParams("\(item.path) must have a non-negative line and character")
            }
            result.append(LinePosition(line: line, character: character))
        }
        return result
    }

    /// A `Range`.
    func range(_ key: String = "range") throws(ResponseError) -> (start: LinePosition, end: LinePosition) {
        let reader = try object(key)
        return (try reader.position("start"), try reader.position("end"))
    }
}
