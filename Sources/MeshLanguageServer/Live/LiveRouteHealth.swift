import MeshRegistry
import MeshRouter

extension LiveRegistry {
    /// The health `diddyMesh/whatRoutesHere` routes `snapshot`'s requests with: what the
    /// document's registry says (``RoutePreview/health(for:from:)``, as `route --live`
    /// reads it), within `live.deadlineMs`. With the registry off, not configured or not
    /// answering, there is no live data and endpoints are routed as unknown, as
    /// `diddy-mesh route` without `--live` does.
    func routeHealth(for snapshot: DocumentSnapshot) async -> HealthSnapshot {
        guard case .reader(let reader, _) = source(for: snapshot) else { return .empty }
        return await RoutePreview.health(for: snapshot.analysis.config, from: reader).value ?? .empty
    }
}
