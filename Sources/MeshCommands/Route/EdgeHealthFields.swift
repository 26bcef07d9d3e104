import WireJSON

/// The registry's live data in the tagged field form the edge router's `mesh_set_health`
/// reads (edge/README.md, "Live health"), written from the same envelope a Worker builds
/// (``EdgeHealthInput``): the Swift twin of edge/worker/health-fields.mjs, which writes the
/// same bytes for the same values (edge/tests/fixtures/health-fields.json holds both to
/// that). It only writes what it is given; the module checks what each value must be.
enum EdgeHealthFields {
    private static let summary = ["s", "t", "l", "c"]
    private static let registration = ["name", "registeredAt", "version"]
    private static let endpoint = ["url", "id", "region", "continent", "weight", "insecure"]

    /// `envelope` (`{"now", "staleAfterSeconds", "health", "registrations"}`) in the form.
    static func write(_ envelope: JSONObject) -> [UInt8] {
        var fields: [String] = [scalar(envelope["now"]), scalar(envelope["staleAfterSeconds"])]
        if let health = envelope["health"]?.arrayValue {
            fields.append("a\(health.count)")
            for entry in health {
                fields.append(scalar(entry["name"]))
                object(&fields, entry["metadata"]) { fields, metadata in
                    for member in summary { fields.append(scalar(metadata[member])) }
                }
            }
        } else {
            fields.append(scalar(envelope["health"]))
        }
        if let registrations = envelope["registrations"]?.objectValue {
            fields.append("a\(registrations.count)")
            for (name, value) in registrations {
                fields.append(scalar(.string(name)))
                object(&fields, value) { fields, registration in
                    for member in self.registration { fields.append(scalar(registration[member])) }
                    guard let endpoints = registration["endpoints"]?.arrayValue else {
                        fields.append(scalar(registration["endpoints"]))
                        return
                    }
                    fields.append("a\(endpoints.count)")
                    for endpoint in endpoints {
                        guard let members = endpoint.objectValue else {
                            fields.append(scalar(endpoint))
                            continue
                        }
                        fields.append("o")
                        for member in self.endpoint { fields.append(scalar(members[member])) }
                        object(&fields, members["location"]) { fields, location in
                            fields.append(scalar(location["lat"]))
                            fields.append(scalar(location["lon"]))
                        }
                    }
                }
            }
        } else {
            fields.append(scalar(envelope["registrations"]))
        }
        var bytes: [UInt8] = []
        for field in fields {
            bytes.append(0)
            bytes.append(contentsOf: field.utf8)
        }
        return bytes
    }

    /// `value` as `o` and what `members` writes when it is an object, else as a scalar.
    private static func object(
        _ fields: inout [String], _ value: JSONValue?, _ members: (inout [String], JSONObject) -> Void
    ) {
        guard let object = value?.objectValue else {
            fields.append(scalar(value))
            return
        }
        fields.append("o")
        members(&fields, object)
    }

    /// A value where a string, number, boolean or nothing is read: `x` for anything else.
    private static func scalar(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "-"
        case .bool(let flag)?: return flag ? "t" : "f"
        case .int(let number)?: return "n\(number)"
        case .double(let number)?: return number.isFinite ? "n" + WireJSON.serialize(.double(number)) : "x"
        // A NUL would end the field: such a string is sent as a value of another kind.
        case .string(let text)?: return text.utf8.contains(0) ? "x" : "s" + text
        case .array?, .object?: return "x"
        }
    }
}
