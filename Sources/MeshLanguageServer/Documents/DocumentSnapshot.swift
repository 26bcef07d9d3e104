import MeshRouter
import MeshSyntax
import Synchronization

/// One version of a document, immutable, shared by every request that reads it.
///
/// The analysis is computed on first use and then cached, so a burst of edits that no
/// request looks at costs only the text updates.
final class DocumentSnapshot: Sendable {
    /// The document's URI as the client spells it.
    let uri: String
    /// The client's version; nil for a document read from disk.
    let version: Int?
    /// The text.
    let source: SourceText
    /// The name that picks the dialect (see ``DocumentURI/dialectName(uri:languageID:)``).
    let dialectName: String
    /// The language id the client opened the document with, kept for later versions.
    let languageID: String?
    /// A number no other snapshot in this process has, so a result id built from it
    /// changes whenever the text may have (a reopened document restarts its versions).
    let serial: Int
    private let cache = LockedValue<DocumentAnalysis?>(nil)
    /// What the latest analysed earlier version left when this one was made: handed from
    /// version to version, never a link to the older snapshot itself, so a burst of edits
    /// keeps no chain of old texts alive. Its services' part (which holds the older text)
    /// is let go once this version is analysed.
    private let inheritedMemo: LockedValue<AnalysisMemo?>
    /// What this version's analysis left, under a lock of its own: the server reads it when
    /// the next edit arrives, and must not wait for an analysis in progress.
    private let finishedMemo = LockedValue<AnalysisMemo?>(nil)
    private static let counter = Atomic<Int>(0)

    init(uri: String, version: Int?, source: SourceText, languageID: String?, inheritedMemo: AnalysisMemo? = nil) {
        self.inheritedMemo = LockedValue(inheritedMemo)
        self.uri = uri
        self.version = version
        self.source = source
        self.languageID = languageID
        self.dialectName = DocumentURI.dialectName(uri: uri, languageID: languageID)
        self.serial = Self.counter.add(1, ordering: .relaxed).newValue
    }

    /// The static analysis of this version.
    ///
    /// Computed under the lock so that concurrent requests on one version share one
    /// analysis instead of each computing their own.
    var analysis: DocumentAnalysis {
        cache.withLock { cached in
            if let cached { return cached }
            let inherited = inheritedMemo.withLock { $0 }
            let analysis = DocumentAnalysis(source: source, dialectName: dialectName, previous: inherited)
            cached = analysis
            finishedMemo.withLock { $0 = analysis.memo }
            inheritedMemo.withLock { $0 = inherited.map { AnalysisMemo(shadowing: $0.shadowing) } }
            return analysis
        }
    }

    /// What the next version starts from: this version's memo once analysed (with the
    /// inherited parts it could not compute, such as shadowing under a syntax error), else
    /// the inherited one.
    var latestMemo: AnalysisMemo? {
        let inherited = inheritedMemo.withLock { $0 }
        return finishedMemo.withLock { $0 }?.filled(from: inherited) ?? inherited
    }

    /// A converter for this text in `encoding`.
    func converter(_ encoding: PositionEncoding) -> PositionConverter {
        PositionConverter(lineIndex: source.lineIndex, encoding: encoding)
    }
}
