import MeshRouter
import MeshSyntax

/// What the module keeps between calls: the loaded config, the live data the host gave it,
/// and the last answer.
///
/// `nonisolated(unsafe)` is sound here, though the compiler cannot prove it: the module is
/// built for wasm32 without the threads proposal, so it has one thread and one instance of
/// this state, and a host calls one export at a time (a call runs to its end before the
/// next starts, and no export calls back into the host). No two accesses can overlap.
enum EdgeState {
    /// The config of the last accepted `mesh_load`; nil before it.
    nonisolated(unsafe) static var mesh: LoadedMesh?
    /// The registry's health and registrations, as the last accepted `mesh_set_health` gave
    /// them; empty before it, so every endpoint is kept, as in `diddy-mesh route` without
    /// `--live`.
    nonisolated(unsafe) static var registryHealth = HealthSnapshot.empty
    /// The endpoint URLs the host holds open (`mesh_set_open_circuits`).
    nonisolated(unsafe) static var openCircuits = NameSet()
    /// What decisions route with: ``registryHealth`` with ``openCircuits`` laid over it for
    /// the loaded config, computed again when any of the three changes rather than on every
    /// decision.
    nonisolated(unsafe) static var health = HealthSnapshot.empty
    /// The last answer, read by the host through `mesh_output_ptr` and `mesh_output_len`.
    nonisolated(unsafe) static var output = OutputBuffer()

    /// Recomputes ``health``; answers how many endpoints of the loaded config are held open.
    @discardableResult
    static func refreshHealth() -> Int {
        guard let mesh else {
            health = registryHealth
            return 0
        }
        let (combined, marked) = OpenCircuits.apply(openCircuits, to: registryHealth, config: mesh.router.config)
        health = combined
        return marked
    }
}
