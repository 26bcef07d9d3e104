/// What the module keeps between calls: the loaded config and the last answer.
///
/// `nonisolated(unsafe)` is sound here, though the compiler cannot prove it: the module is
/// built for wasm32 without the threads proposal, so it has one thread and one instance of
/// this state, and a host calls one export at a time (a call runs to its end before the
/// next starts, and no export calls back into the host). No two accesses can overlap.
enum EdgeState {
    /// The config of the last accepted `mesh_load`; nil before it.
    nonisolated(unsafe) static var mesh: LoadedMesh?
    /// The last answer, read by the host through `mesh_output_ptr` and `mesh_output_len`.
    nonisolated(unsafe) static var output = OutputBuffer()
}
