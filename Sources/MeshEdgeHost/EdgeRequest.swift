import MeshRouter

/// One request for ``EdgeRouterHost/route(_:)``, from the parts `diddy-mesh route` takes on
/// its command line, written in the field form `mesh_route` reads (`RequestFields` in
/// MeshRouter).
public struct EdgeRequest: Sendable {
    public var method: String
    public var url: String
    /// Each header as given; a name given twice is combined with `", "` by the module, as
    /// `RouteRequest.make` combines it for the native router.
    public var headers: [(name: String, value: String)]
    public var cf: GeoContext

    /// A request; only the URL is required.
    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
        cf: GeoContext = GeoContext()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.cf = cf
    }

    /// The request of its parts as the native router reads them: `request`'s headers are
    /// already combined and lower-cased, which the module's reading leaves as they are.
    public init(_ request: RouteRequest) {
        self.init(
            method: request.method, url: request.url, headers: request.headers.map { (name: $0.key, value: $0.value) },
            cf: request.cf)
    }

    /// The request in `RequestFields`' form, as `mesh_route` reads it, or why that form
    /// cannot carry it (an empty method or `cf` string, a NUL byte): every header kept, in
    /// order, even a repeated name, which the module combines.
    public var fields: Result<[UInt8], RequestError> {
        RequestFields.write(method: method, url: url, headers: headers, cf: cf)
    }
}
