// The functions a host calls in the wasm build of the router (issue 16): each takes a mesh
// config as UTF-8 bytes in the module's memory, which the host fills through the `malloc`
// and `free` the module exports (edge/runtime/runtime.c). They run the same MeshSyntax,
// MeshConfig and MeshRouter code as the native build; scripts/wasm-build.sh links them.
import MeshConfig
import MeshRouter
import MeshSyntax

/// `count` bytes at `start`; none when the host passes a null pointer or a negative count.
private func buffer(_ start: UnsafePointer<UInt8>?, _ count: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: count > 0 ? start : nil, count: start == nil ? 0 : max(0, count))
}

/// The config's parse and typed model (with MeshConfig's findings, which these exports
/// other than ``meshErrorCount(_:_:)`` do not read).
private func analyze(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> MeshDocument {
    MeshDocument.analyze(SourceText(bytes: Array(buffer(bytes, count))))
}

/// The number of services the config defines.
@_cdecl("mesh_service_count")
public func meshServiceCount(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    Int32(analyze(bytes, count).config.services.count)
}

/// The number of errors `diddy-mesh check` reports for the config as a .jsonc file: syntax,
/// schema, semantic and router findings (shadowing, patterns, splits), after its `lint`
/// levels and suppression comments.
@_cdecl("mesh_error_count")
public func meshErrorCount(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let analysis = ConfigAnalysis(SourceText(bytes: Array(buffer(bytes, count))), path: "diddy-mesh.jsonc")
    return Int32(analysis.diagnostics.filter { $0.severity == .error }.count)
}

/// The index of the rule a GET of `url` matches under the config, -1 when no rule does
/// (the default service or no route) and -2 when the URL is not a valid request URL.
@_cdecl("mesh_route_rule")
public func meshRouteRule(
    _ bytes: UnsafePointer<UInt8>?, _ count: Int, _ url: UnsafePointer<UInt8>?, _ urlCount: Int
) -> Int32 {
    let text = String(decoding: buffer(url, urlCount), as: UTF8.self)
    guard case .success(let request) = RouteRequest.make(url: text) else { return -2 }
    let router = Router(config: analyze(bytes, count).config)
    return router.decide(request).ruleIndex.map { Int32($0) } ?? -1
}
