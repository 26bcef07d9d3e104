import MeshSyntax

/// A request as NUL-separated fields, the form a Worker sends the edge router on its hot path
/// (edge/README.md, "The request"): building it is string concatenation, where
/// `JSON.stringify` of the request object was a tenth of a decision (docs/edge.md).
///
/// ```text
/// \0GET\0https://shop.example/api/cart\0FRA\0DE\0EU\050.11\08.68\0cookie\0session=abc
/// ```
///
/// Every field starts with a NUL byte, so the form starts with one, which JSON text never
/// does. It is the only form the edge router's `mesh_route` reads (reading JSON as well cost
/// the module 6 KB gzipped; docs/edge.md). The first seven fields are the method, the URL, and
/// `request.cf`'s colo, country, continent, latitude and longitude; a header name and its
/// value follow for each header. An empty field is an absent one (an empty method is `GET`,
/// as an absent one is in ``RequestJSON``), since none of them is meaningful empty; the
/// coordinates are JSON numbers as text, as ``RequestJSON`` reads them from strings. No field
/// can hold a NUL, which neither URLs, methods nor header values do: a host whose request has
/// one, or an empty `cf` field, cannot send it (``write(method:url:headers:cf:)`` says
/// which part); a request from HTTP never has either.
///
/// Whatever the fields hold, the request is the one ``RequestJSON`` reads from the same
/// values written as JSON, refusals and their messages included; `RequestFieldsTests` holds
/// the two to that.
public enum RequestFields {
    /// The byte that starts every field.
    public static let separator: UInt8 = 0

    /// Whether `bytes` are in this form rather than JSON: they start with ``separator``.
    public static func isFieldForm(_ bytes: [UInt8]) -> Bool {
        bytes.first == separator
    }

    /// The request in `bytes`, or why it is not one (a sentence naming the field at fault).
    public static func parse(_ bytes: [UInt8]) -> Result<RouteRequest, RequestError> {
        guard bytes.count <= RequestJSON.maximumSize else {
            return .failure(
                RequestError(
                    message: "the request is \(bytes.count) bytes long; at most \(RequestJSON.maximumSize) are accepted"
                ))
        }
        guard isFieldForm(bytes) else {
            return .failure(RequestError(message: "the request's fields must each start with a NUL byte"))
        }
        var fields: [String] = []
        let failure: RequestError? = bytes.withUnsafeBufferPointer { buffer in
            // ASCII is valid UTF-8, so the common request is decoded without validating
            // field by field; the same pass counts the fields, so the list grows once.
            var ascii = true
            var count = 0
            for byte in buffer {
                if byte == separator { count += 1 }
                if byte >= 0x80 { ascii = false }
            }
            fields.reserveCapacity(count)
            var start = 1
            for index in 1...buffer.count where index == buffer.count || buffer[index] == separator {
                let field = UnsafeBufferPointer(rebasing: buffer[start..<index])
                if ascii {
                    fields.append(String(decoding: field, as: UTF8.self))
                } else if let text = String(validating: field, as: UTF8.self) {
                    fields.append(text)
                } else {
                    return RequestError(message: "field \(fields.count + 1) of the request is not valid UTF-8")
                }
                start = index + 1
            }
            return nil
        }
        if let failure { return .failure(failure) }
        guard fields.count >= 7 else {
            return .failure(
                RequestError(
                    message:
                        "the request has \(fields.count) fields; it needs seven (method, url, colo, country, "
                        + "continent, latitude, longitude) before its headers"))
        }
        guard fields.count % 2 == 1 else {
            return .failure(
                RequestError(message: "the request's last header, '\(fields[fields.count - 1])', has no value"))
        }
        var latitude: Double?
        var longitude: Double?
        for (position, name) in [(5, "latitude"), (6, "longitude")] where !fields[position].isEmpty {
            guard let value = JSONNumber.value(of: fields[position]), value.isFinite else {
                // The message RequestJSON gives for a string that holds no number.
                let quoted = fields[position].prefix(scalars: 40)
                return .failure(
                    RequestError(message: "request.cf.\(name) must be a number, found the string '\(quoted)'"))
            }
            if position == 5 { latitude = value } else { longitude = value }
        }
        let cf = GeoContext(
            colo: present(fields[2]), country: present(fields[3]), continent: present(fields[4]), latitude: latitude,
            longitude: longitude)
        var headers: [(String, String)] = []
        headers.reserveCapacity((fields.count - 7) / 2)
        var index = 7
        while index + 1 < fields.count {
            headers.append((fields[index], fields[index + 1]))
            index += 2
        }
        return RouteRequest.make(method: present(fields[0]) ?? "GET", url: fields[1], headers: headers, cf: cf)
    }

    /// `field`, or nil when it is empty (absent).
    private static func present(_ field: String) -> String? {
        field.isEmpty ? nil : field
    }
}
