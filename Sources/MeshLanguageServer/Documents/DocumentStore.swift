import MeshSyntax

/// The documents the client has open, by URI.
///
/// A value: the server copies it into every request it dispatches, so a request reads
/// the documents as they were when it arrived, whatever edits follow. Open documents win
/// over the disk; other `file:` URIs are read from disk on demand.
struct DocumentStore: Sendable {
    private(set) var open: [String: DocumentSnapshot] = [:]

    /// `didOpen`: the client now owns the text.
    mutating func open(uri: String, languageID: String?, version: Int?, text: String) -> DocumentSnapshot {
        let snapshot = DocumentSnapshot(uri: uri, version: version, source: SourceText(text), languageID: languageID)
        open[uri] = snapshot
        return snapshot
    }

    /// `didChange`: applies the changes to the open document; nil when it is not open.
    mutating func change(uri: String, version: Int?, changes: [ContentChange], encoding: PositionEncoding)
        -> DocumentSnapshot?
    {
        guard let current = open[uri] else { return nil }
        let source = ContentChange.apply(changes, to: current.source, encoding: encoding)
        let snapshot = DocumentSnapshot(
            uri: uri, version: version ?? current.version, source: source, languageID: current.languageID,
            inheritedMemo: current.latestMemo)
        open[uri] = snapshot
        return snapshot
    }

    /// `didClose`: the disk is the truth again.
    mutating func close(uri: String) -> Bool {
        open.removeValue(forKey: uri) != nil
    }

    /// The open document, else the file on disk, else nil.
    func snapshot(_ uri: String) -> DocumentSnapshot? {
        if let document = open[uri] { return document }
        guard let bytes = DocumentURI.readFromDisk(uri) else { return nil }
        return DocumentSnapshot(uri: uri, version: nil, source: SourceText(bytes: bytes), languageID: nil)
    }
}
