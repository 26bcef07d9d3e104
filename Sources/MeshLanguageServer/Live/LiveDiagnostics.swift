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

    /// What a live diagnostic is about: all that carrying it to a later version needs, so
    /// that the store keeps these instead of the version's whole analysis.
    enum Subject: Sendable, Equatable {
        /// A finding about the service with this name, shown on its name.
        case service(String)
        /// A finding about the registry, shown where LiveChecks puts it.
        case registry
        /// Any other finding, shown at the document's start.
        case document
    }

    /// The subject of each of `diagnostics`, found on `analysis`; nil for a service finding
    /// that is not on a service's name, which cannot be carried.
    static func subjects(of diagnostics: [Diagnostic], in analysis: DocumentAnalysis) -> [Subject?] {
        // One index for every finding, not a scan of the services per finding: a registry
        // that knows none of 2,000 services reports 2,000 of them.
        var namesByRange: [ByteRange: String]?
        return diagnostics.map { diagnostic in
            switch diagnostic.code {
            case .noEndpointsRegistered, .allEndpointsUnhealthy:
                if namesByRange == nil {
                    namesByRange = Dictionary(
                        analysis.config.services.map { ($0.name.range, $0.name.value) }, uniquingKeysWith: { $1 })
                }
                return namesByRange?[diagnostic.range].map(Subject.service)
            case .registryUnavailable:
                return .registry
            default:
                return .document
            }
        }
    }

    /// Moves live diagnostics found on an earlier version onto `new`, so that an edit does
    /// not make them blink out until the registry has been asked again: a service's
    /// findings follow the service's name, the others go where LiveChecks puts them.
    /// Findings about a service that no longer exists are dropped.
    static func carry(_ diagnostics: [Diagnostic], subjects: [Subject?], to new: DocumentAnalysis) -> [Diagnostic] {
        var servicesByName: [String: ByteRange]?
        return zip(diagnostics, subjects).compactMap { diagnostic, subject in
            var moved = diagnostic
            switch subject {
            case .service(let name):
                if servicesByName == nil {
                    // The last definition of a name is the one the model keeps.
                    servicesByName = Dictionary(
                        new.config.services.map { ($0.name.value, $0.name.range) }, uniquingKeysWith: { $1 })
                }
                guard let range = servicesByName?[name] else { return nil }
                moved.range = range
            case .registry:
                moved.range = registryAnchor(new)
            case .document:
                moved.range = documentStart(new)
            case nil:
                return nil
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
