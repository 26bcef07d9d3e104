// The functions a host calls in the wasm build of the router (issue 16), with bytes in the
// module's memory: the host copies a route plan or a request in through the exported `malloc`
// (edge/runtime/runtime.c), calls an export, reads its status, and reads the answer (JSON)
// at `mesh_output_ptr` for `mesh_output_len` bytes. edge/README.md is the contract; the
// exports run the same MeshSyntax, MeshConfig and MeshRouter code as the native build, and
// scripts/wasm-build.sh links them.
import MeshRouter

/// Loads a route plan (``RoutePlan``: what `diddy-mesh config plan` writes and `config push`
/// stores in `mesh:plan`) and reads the router it carries compiled, for every decision after
/// it. Answers 0 with the report (``meshReport()``) in the output, whatever findings the config had: the
/// host reads `errors` there and decides whether to route with it, as `diddy-mesh route`
/// routes on a config with errors. A refused load (``EdgeStatus/badPlan`` for a config's
/// text, another format or damaged bytes; ``EdgeStatus/tooLarge``,
/// ``EdgeStatus/invalidArguments``) keeps the config loaded before it.
@_cdecl("mesh_load")
public func meshLoad(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    switch HostBytes.read(bytes, count, limit: HostBytes.maximumPlanSize, what: "route plan") {
    case .failure(let refusal):
        return answer(refusal)
    case .success(let bytes):
        let plan: RoutePlan
        switch RoutePlan.decode(bytes) {
        case .success(let decoded): plan = decoded
        case .failure(let error): return answer(HostBytes.Refusal(.badPlan, error.message))
        }
        let mesh = LoadedMesh(plan: plan)
        EdgeState.mesh = mesh
        // The health the host set is kept: it is keyed by service and endpoint, not by
        // config, and the open circuits are laid over the new config's endpoints.
        EdgeState.refreshHealth()
        EdgeState.output.replace(with: mesh.report)
        return EdgeStatus.ok.rawValue
    }
}

/// Routes one request, in ``RequestFields``' form, with the loaded config and the health of
/// ``meshSetHealth(_:_:)`` and ``meshSetOpenCircuits(_:_:)``, and answers 0 with the members
/// a Worker reads to forward it (``EdgeDecision/encode(_:request:router:health:refs:)``): the
/// rule, service, endpoint, fallback, panic and policies of ``Router/decide(_:health:)``, which
/// keeps no trace. The router's state (round-robin counters, smooth weighted cycles, the
/// random source) carries from one decision to the next, as in a Worker isolate and as in
/// `diddy-mesh route --requests`.
///
/// The trace (the split's branches, each candidate's health and why it was kept, the
/// strategy's reasons, the captures) is not in the module: `diddy-mesh route --engine wasm`
/// explains a decision with the native router's trace after checking that the two decide
/// alike (docs/edge.md, "What the module answers").
@_cdecl("mesh_route")
public func meshRoute(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let mesh = EdgeState.mesh else { return answer(noConfig) }
    switch HostBytes.read(bytes, count, limit: RequestJSON.maximumSize, what: "request") {
    case .failure(let refusal):
        return answer(refusal)
    case .success(let bytes):
        switch RequestFields.parse(bytes) {
        case .failure(let error):
            return answer(HostBytes.Refusal(.badRequest, error.message))
        case .success(let request):
            let decision = mesh.router.decide(request, health: EdgeState.health)
            EdgeState.output.replace(
                with: EdgeDecision.encode(
                    decision, request: request, router: mesh.router, health: EdgeState.health, refs: mesh.refs))
            return EdgeStatus.ok.rawValue
        }
    }
}

/// Answers 0 with what `ref` names (``DecisionRefs``): `{"rule", "policy",
/// "serviceFallback"}`, the rule and the policy (without `forwardPath`) as
/// `diddy-mesh route --format json` writes them. A `mesh_route` answer names its rule and
/// service by ref, and what a ref names never changes while the config is loaded, so a host
/// asks once per ref and keeps the answer until its next `mesh_load`. A ref no answer of the loaded config named is
/// refused with ``EdgeStatus/invalidArguments``.
@_cdecl("mesh_ref")
public func meshRef(_ ref: Int32) -> Int32 {
    guard let mesh = EdgeState.mesh else { return answer(noConfig) }
    guard let named = mesh.refs.answer(ref: Int(ref)) else {
        return answer(
            HostBytes.Refusal(
                .invalidArguments, "no answer of the loaded config names ref \(ref); refs come from mesh_route"))
    }
    EdgeState.output.replace(with: named)
    return EdgeStatus.ok.rawValue
}

/// Sets the registry's live data every decision after it routes with (``HealthInput``: a
/// KV listing of `health:` and the `service:<name>` registrations, read as
/// `diddy-mesh route --live` reads them). Answers 0 with `{"records", "ignored",
/// "registrations"}`; a refused input keeps the health set before it. Needs no config.
@_cdecl("mesh_set_health")
public func meshSetHealth(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    switch HostBytes.read(bytes, count, limit: HealthInput.maximumSize, what: "health") {
    case .failure(let refusal):
        return answer(refusal)
    case .success(let text):
        switch HealthInput.parse(text) {
        case .failure(let refusal):
            return answer(refusal)
        case .success(let parsed):
            EdgeState.registryHealth = parsed.snapshot
            EdgeState.refreshHealth()
            var json = JSONTextWriter()
            json.beginObject()
            json.key("records")
            json.integer(parsed.records)
            json.key("ignored")
            json.integer(parsed.ignored)
            json.key("registrations")
            json.integer(parsed.registrations)
            json.endObject()
            EdgeState.output.replace(with: json.bytes)
            return EdgeStatus.ok.rawValue
        }
    }
}

/// Sets the endpoints the host holds open (``OpenCircuits``: a JSON array of endpoint URLs,
/// `[]` for none), replacing the last list; decisions then exclude them as endpoints whose
/// circuit is open. Answers 0 with `{"endpoints": n}`, how many endpoints of the loaded
/// config the URLs name; a refused list keeps the one before it.
@_cdecl("mesh_set_open_circuits")
public func meshSetOpenCircuits(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    switch HostBytes.read(bytes, count, limit: OpenCircuits.maximumSize, what: "list of open circuits") {
    case .failure(let refusal):
        return answer(refusal)
    case .success(let text):
        switch OpenCircuits.parse(text) {
        case .failure(let refusal):
            return answer(refusal)
        case .success(let urls):
            EdgeState.openCircuits = urls
            let marked = EdgeState.refreshHealth()
            var json = JSONTextWriter()
            json.beginObject()
            json.key("endpoints")
            json.integer(marked)
            json.endObject()
            EdgeState.output.replace(with: json.bytes)
            return EdgeStatus.ok.rawValue
        }
    }
}

/// Answers 0 with the report of the loaded config in the output: `{"errors", "warnings",
/// "services", "rules", "findings"}` (``LoadedMesh/report``).
@_cdecl("mesh_report")
public func meshReport() -> Int32 {
    guard let mesh = EdgeState.mesh else { return answer(noConfig) }
    EdgeState.output.replace(with: mesh.report)
    return EdgeStatus.ok.rawValue
}

/// Gives the loaded router fresh state, as a new load would, without analysing or
/// compiling the config again: the next decision is what `diddy-mesh route --url` gives
/// (`--live`, with the health set, which a reset keeps). Answers 0 with an empty output.
@_cdecl("mesh_reset")
public func meshReset() -> Int32 {
    guard let mesh = EdgeState.mesh else { return answer(noConfig) }
    mesh.router = mesh.router.withState(RouterState())
    EdgeState.output.replace(with: [])
    return EdgeStatus.ok.rawValue
}

/// Where the last answer starts in memory; 0 before the first answer.
@_cdecl("mesh_output_ptr")
public func meshOutputPointer() -> UnsafePointer<UInt8>? {
    EdgeState.output.start
}

/// The length of the last answer in bytes.
@_cdecl("mesh_output_len")
public func meshOutputLength() -> Int32 {
    Int32(truncatingIfNeeded: EdgeState.output.count)
}

/// The refusal of an export that needs a config before any was loaded.
private var noConfig: HostBytes.Refusal { HostBytes.Refusal(.noConfig, "no config is loaded: call mesh_load first") }

/// Puts `{"error": message}` in the output and returns the refusal's status.
private func answer(_ refusal: HostBytes.Refusal) -> Int32 {
    EdgeState.output.replace(with: DecisionJSON.error(refusal.message))
    return refusal.status.rawValue
}
