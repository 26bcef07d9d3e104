import MeshSyntax
import Synchronization

/// The latest live diagnostics of each open document, shared by push and pull.
///
/// Each entry remembers the version it was computed on, by serial number, and what each
/// finding is about; a newer version gets them carried over (see
/// ``LiveDiagnostics/carry(_:subjects:to:)``) until it has its own. The entry holds no
/// snapshot: an old version's tree and model would otherwise stay in memory while the
/// next one is analysed, doubling the server's peak on a large config. The
/// generation changes whenever a document's live diagnostics do, so a pull result id
/// built from it changes too.
final class LiveDiagnosticsStore: Sendable {
    private struct Entry {
        let diagnostics: [Diagnostic]
        let subjects: [LiveDiagnostics.Subject?]
        /// The ``DocumentSnapshot/serial`` of the version they were computed on.
        let serial: Int
        let generation: Int
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let generations = Mutex(0)

    /// The live diagnostics to show with `snapshot` and their generation (0: none yet).
    func current(for snapshot: DocumentSnapshot) -> (diagnostics: [Diagnostic], generation: Int) {
        guard let entry = entries.withLock({ $0[snapshot.uri] }) else { return ([], 0) }
        if entry.serial == snapshot.serial { return (entry.diagnostics, entry.generation) }
        // Nothing to carry needs no analysis of the new version here.
        if entry.diagnostics.isEmpty { return ([], entry.generation) }
        return (
            LiveDiagnostics.carry(entry.diagnostics, subjects: entry.subjects, to: snapshot.analysis),
            entry.generation
        )
    }

    /// Records `diagnostics` as computed on `snapshot`; true when they differ from what
    /// was being shown, that is when the client must be told.
    func update(_ diagnostics: [Diagnostic], for snapshot: DocumentSnapshot) -> Bool {
        let shown = current(for: snapshot).diagnostics
        let subjects = diagnostics.isEmpty ? [] : LiveDiagnostics.subjects(of: diagnostics, in: snapshot.analysis)
        let generation =
            shown == diagnostics
            ? nil
            : generations.withLock { value -> Int in
                value += 1
                return value
            }
        entries.withLock { entries in
            let kept = generation ?? entries[snapshot.uri]?.generation ?? 0
            entries[snapshot.uri] = Entry(
                diagnostics: diagnostics, subjects: subjects, serial: snapshot.serial, generation: kept)
        }
        return generation != nil
    }

    /// Forgets a closed document.
    func remove(uri: String) {
        _ = entries.withLock { $0.removeValue(forKey: uri) }
    }
}
