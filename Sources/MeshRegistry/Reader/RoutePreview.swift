import MeshConfig
import MeshRouter

/// How every preview routes a request: `diddy-mesh route` (with `--live` or without) and
/// the language server's `diddyMesh/whatRoutesHere` (docs/guide/routing.md, "Live health").
///
/// Both read the registry's health with ``health(for:from:)`` and route with
/// ``trace(_:router:health:seed:)``, so the editor and the command line show the same trace
/// for the same request and registry. The matching and selection themselves are the
/// router's; this only fixes its inputs.
public enum RoutePreview {
    /// The live data for routing `config`: the reader's health snapshot (the same one hover
    /// and the code lenses read, with its cache and deadline), or why there is none. With
    /// no reader the answer is an empty snapshot: a preview without live data.
    public static func health(for config: MeshConfig, from reader: RegistryReader?) async
        -> RegistryAnswer<HealthSnapshot>
    {
        guard let reader else { return .value(.empty, fetchedAt: 0) }
        return await reader.healthSnapshot(for: config)
    }

    /// The trace of `request` on `router` with fresh state seeded by `seed`, so that a
    /// preview never depends on the ones before it, and with `health` as the live data.
    public static func trace(_ request: RouteRequest, router: Router, health: HealthSnapshot, seed: UInt64 = 0)
        -> DecisionTrace
    {
        router.withState(RouterState(seed: seed)).route(request, health: health)
    }
}
