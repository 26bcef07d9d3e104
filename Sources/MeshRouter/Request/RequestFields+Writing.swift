extension RequestFields {
    /// The field form of a request from its parts, as ``parse(_:)`` reads it back: the same
    /// request ``RouteRequest/make(method:url:headers:cf:)`` makes from the parts. A host that
    /// is not the Worker (`diddy-mesh route --engine wasm`) writes its requests with this; the
    /// Worker writes the same form in JavaScript (edge/worker/request-fields.mjs).
    ///
    /// Fails, naming the part, for what the form cannot carry, since an empty field stands
    /// for an absent one and a NUL byte separates fields: an empty method or `cf` string, and
    /// a NUL in any part. A request from HTTP never has either (Cloudflare sends no empty
    /// `cf` field, and a header value cannot hold a NUL). A coordinate that is not finite is
    /// written as absent, as JSON writes it as `null`.
    public static func write(
        method: String, url: String, headers: [(name: String, value: String)], cf: GeoContext
    ) -> Result<[UInt8], RequestError> {
        var bytes: [UInt8] = []
        var problem: String?
        // `emptyIsAbsent`: the field's empty text reads back as absent, so an empty value
        // cannot be sent; a URL or header read empty stays empty.
        func field(_ text: String?, _ what: String, emptyIsAbsent: Bool = true) {
            bytes.append(separator)
            guard let text else { return }
            if problem == nil {
                if text.isEmpty, emptyIsAbsent {
                    problem =
                        "\(what) is empty, which the edge router's field form cannot carry "
                        + "(an empty field is an absent one)"
                } else if text.utf8.contains(separator) {
                    problem = "\(what) holds a NUL byte, which the edge router's field form cannot carry"
                }
            }
            bytes.append(contentsOf: text.utf8)
        }
        field(method, "request.method")
        field(url, "request.url", emptyIsAbsent: false)
        field(cf.colo, "request.cf.colo")
        field(cf.country, "request.cf.country")
        field(cf.continent, "request.cf.continent")
        for coordinate in [cf.latitude, cf.longitude] {
            bytes.append(separator)
            guard let coordinate, coordinate.isFinite else { continue }
            var json = JSONTextWriter()
            json.number(coordinate)
            bytes.append(contentsOf: json.bytes)
        }
        for header in headers {
            field(header.name, "a header name", emptyIsAbsent: false)
            field(header.value, "request.headers.\(header.name)", emptyIsAbsent: false)
        }
        if let problem { return .failure(RequestError(message: problem)) }
        return .success(bytes)
    }
}
