import WireJSON

/// Typed access to the members of a registry value's JSON object, where every mismatch
/// becomes ``RegistryError/corrupt(_:)`` naming the key and the member: values come from
/// a store that anything (an old prober, `kv put`, a Worker) may have written.
///
/// The reading rules are WireJSON's ``MemberReader``; this file only words its problems
/// as registry errors that start with the record's subject (its KV key).
typealias RecordFields = MemberReader<RegistryError>

extension MemberReader where Failure == RegistryError {
    /// Parses `bytes` as one strict JSON object; `subject` (the KV key, or a description
    /// when unknown) starts every message.
    static func parse(_ bytes: [UInt8], subject: String) throws(RegistryError) -> RecordFields {
        switch WireJSON.parse(bytes) {
        case .success(.object(let object)):
            return RecordFields(object: object, path: "", failure: corruption(in: subject))
        case .success(let other):
            throw .corrupt("\(subject): expected a JSON object, found \(other.kindDescription)")
        case .failure(let error):
            throw .corrupt("\(subject): the value is not JSON (\(error))")
        }
    }

    /// Parses metadata text, which KV stores as JSON text.
    static func parse(metadata text: String, subject: String) throws(RegistryError) -> RecordFields {
        try parse(Array(text.utf8), subject: subject + " metadata")
    }

    /// Words problems as corrupt-record errors about `subject`.
    static func corruption(in subject: String) -> @Sendable (MemberProblem) -> RegistryError {
        { problem in
            switch problem {
            case .missing(let member, let expected):
                .corrupt("\(subject): \(member) is missing or null; expected \(wording(expected))")
            case .wrongKind(let member, let expected, let found):
                .corrupt("\(subject): \(member) must be \(wording(expected)), found \(found.kindDescription)")
            case .invalid(let member, let detail):
                .corrupt("\(subject): \(member) \(detail)")
            }
        }
    }

    /// Records are read by people fixing a store by hand, who write `true`, not "a boolean".
    private static func wording(_ kind: MemberKind) -> String {
        kind == .boolean ? "true or false" : kind.description
    }
}

/// Shorthands for building values in the documented key order.
extension JSONValue {
    /// A string, or `null` when absent.
    static func orNull(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// An integer, or `null` when absent.
    static func orNull(_ number: Int64?) -> JSONValue {
        number.map(JSONValue.int) ?? .null
    }

    /// A double, or `null` when absent or not finite (JSON has no NaN).
    static func orNull(_ number: Double?) -> JSONValue {
        guard let number, number.isFinite else { return .null }
        return .double(number)
    }
}
