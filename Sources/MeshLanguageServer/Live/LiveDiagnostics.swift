import MeshConfig
import MeshRegistry
import MeshSyntax

/// The live diagnostics DM601-DM604 of one document version, computed by the registry's
/// ``LiveChecks`` off the path of the static ones.
enum LiveDiagnostics {
    /// The live diagnostics of `snapshot`, or nil when there are none to show: live
    /// diagnostics are switched off, the registry is off, or nothing configures a registry
    /// (diagnostics.md: DM6xx appear only when a registry is configured).
    static func compute(for snapshot: DocumentSnapshot, live: LiveRegistry) async -> [Diagnostic]? {
        guard live.settings.liveDiagnostics else { return nil }
        let analysis = snapshot.analysis
        switch live.source(for: snapshot) {
        case .off, .notAsked:
            return nil
        case .unavailable(let error):
            return [Diagnostic(.registryUnavailable, "live checks skipped: \(error)", at: registryAnchor(analysis))]
        case .reader(let reader, _):
            return await LiveChecks.diagnostics(for: analysis.document, reader: reader, now: live.now())
        }
    }

    /// Moves live diagnostics found on `old` onto `new`, so that an edit does not make
    /// them blink out until the registry has been asked again: a service's findings follow
    /// the service's name, the others go where LiveChecks puts them. Findings about a
    /// service that no longer exists are dropped.
    static func carry(_ diagnostics: [Diagnostic], from old: DocumentAnalysis, to new: DocumentAnalysis) -> [Diagnostic]
    {
        diagnostics.compactMap { diagnostic in
            var moved = diagnostic
            switch diagnostic.code {
            case .noEndpointsRegistered, .allEndpointsUnhealthy:
                guard let name = old.config.services.first(where: { $0.name.range == diagnostic.range })?.name.value,
                    let service = new.config.service(named: name)
                else { return nil }
                moved.range = service.name.range
            case .registryUnavailable:
                moved.range = registryAnchor(new)
            default:
                moved.range = documentStart(new)
            }
            return moved
        }
    }

    /// Where DM603 points: the `mesh.registry` value, else the document's first byte.
    private static func registryAnchor(_ analysis: DocumentAnalysis) -> ByteRange {
        analysis.config.mesh.registry?.range ?? documentStart(analysis)
    }

    private static func documentStart(_ analysis: DocumentAnalysis) -> ByteRange {
        ByteRange(start: 0, end: min(1, analysis.source.count))
    }
}
