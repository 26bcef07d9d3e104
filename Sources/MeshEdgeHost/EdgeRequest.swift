import MeshRouter

/// One request for ``EdgeRouterHost/decide(_:)``, from the parts `diddy-mesh route` takes on
/// its command line, written as the JSON `mesh_decide` reads (`RequestJSON` in MeshRouter).
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

    /// `{"method", "url", "headers", "cf"}`: every header kept, in order, even a repeated
    /// name, since `RequestJSON` reads an object's members as they are written.
    public var json: [UInt8] {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("method")
        json.string(method)
        json.key("url")
        json.string(url)
        json.key("headers")
        json.beginObject()
        for header in headers {
            json.key(header.name)
            json.string(header.value)
        }
        json.endObject()
        json.key("cf")
        json.beginObject()
        for (key, value) in [("colo", cf.colo), ("country", cf.country), ("continent", cf.continent)] {
            if let value {
                json.key(key)
                json.string(value)
            }
        }
        for (key, value) in [("latitude", cf.latitude), ("longitude", cf.longitude)] {
            if let value {
                json.key(key)
                json.number(value)
            }
        }
        json.endObject()
        json.endObject()
        return json.bytes
    }
}
