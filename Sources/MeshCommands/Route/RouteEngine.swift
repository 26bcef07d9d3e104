/// Which router answers `diddy-mesh route` (`--engine`).
public enum RouteEngine: String, CaseIterable, Sendable {
    /// The router compiled into this binary, with the full trace.
    case native
    /// The edge router's `.wasm`, run on WasmKit: the artifact a Worker deploys
    /// (``WasmRouteRunner``).
    case wasm
}
