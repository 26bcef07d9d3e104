/// The query of `workspace/symbol`: a name matches when the query's characters appear in
/// it in order, ignoring case (`usv` matches `user-service`), as rust-analyzer and most
/// editors' symbol pickers match. An empty query matches every name.
struct SymbolQuery: Sendable, Equatable {
    private let characters: [Character]

    /// The query as typed.
    init(_ text: String) {
        characters = Array(text.lowercased().filter { !$0.isWhitespace })
    }

    /// Whether `name` holds the query's characters in order.
    func matches(_ name: String) -> Bool {
        var next = characters.startIndex
        for character in name.lowercased() where next < characters.endIndex {
            if character == characters[next] { next += 1 }
        }
        return next == characters.endIndex
    }
}
