extension Diagnostic {
    /// The same finding `delta` bytes later: its range, its related places and its fixes'
    /// edits move; its words do not (no message quotes an offset).
    public func shifted(by delta: Int) -> Diagnostic {
        guard delta != 0 else { return self }
        var moved = self
        moved.range = range.shifted(by: delta)
        moved.related = related.map { RelatedInformation(message: $0.message, range: $0.range.shifted(by: delta)) }
        moved.fixes = fixes.map { fix in
            Fix(
                title: fix.title,
                edits: fix.edits.map { TextEdit(range: $0.range.shifted(by: delta), newText: $0.newText) },
                isSafe: fix.isSafe)
        }
        return moved
    }
}
