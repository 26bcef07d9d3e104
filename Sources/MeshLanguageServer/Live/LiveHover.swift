import MeshConfig
import MeshRegistry

/// The live part of hover: asks the document's registry, within `live.deadlineMs`, and
/// renders what came back (or why nothing did).
enum LiveHover {
    /// What a hover is about, when the registry knows something about it.
    enum Subject: Sendable {
        case service(Service)
        case endpoint(Endpoint, of: Service)
    }

    /// The markdown section for `subject` in `snapshot`'s registry; nil when the user
    /// switched the registry off, since then there is nothing to say.
    static func section(for subject: Subject, in snapshot: DocumentSnapshot, live: LiveRegistry) async -> String? {
        let config = snapshot.analysis.config
        let reader: RegistryReader
        let registry: String
        switch live.source(for: snapshot) {
        case .off:
            return nil
        case .notAsked(let error), .unavailable(let error):
            return LiveHealthText.unavailable(error)
        case .reader(let found, let description):
            (reader, registry) = (found, description)
        }
        switch subject {
        case .service(let service):
            let answer = await reader.healthSnapshot(for: config)
            return LiveHealthText.serviceSection(
                service: service.name.value, endpoints: service.endpoints, answer: answer,
                registry: registry, now: live.now())
        case .endpoint(let endpoint, let service):
            guard let id = endpoint.effectiveID else { return LiveHealthText.unavailable(nil) }
            let answer = await reader.record(service: service.name.value, endpointId: id)
            return LiveHealthText.endpointSection(
                service: service.name.value, endpointId: id, answer: answer, registry: registry,
                staleAfterSeconds: live.settings.staleAfterSeconds, now: live.now())
        }
    }
}
