import MeshConfig
import MeshSyntax

/// One place that names a service: its definition (a key under `services`) or a reference.
struct ServiceOccurrence: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// The key of the service under `services`.
        case definition
        /// A reference (rule target, split branch, default, fallback, auth list).
        case reference(ServiceReference.Role)
    }

    /// The service's name.
    let name: String
    /// The string token, quotes included.
    let range: ByteRange
    let kind: Kind

    var isDefinition: Bool { kind == .definition }
}

/// Where services are defined and referenced, for definition, references, highlights,
/// rename and hover. References come from MeshConfig's `serviceReferences`, so every
/// feature agrees with DM301/DM302 about what counts as a reference.
enum ServiceSymbols {
    /// Every definition and reference in document order.
    static func occurrences(in analysis: DocumentAnalysis) -> [ServiceOccurrence] {
        var occurrences = definitions(in: analysis.tree)
        occurrences += analysis.config.serviceReferences.map {
            ServiceOccurrence(name: $0.name.value, range: $0.name.range, kind: .reference($0.role))
        }
        return occurrences.sorted { $0.range.start < $1.range.start }
    }

    /// The occurrence under `offset` (a cursor right after the closing quote still counts).
    static func occurrence(at offset: Int, in analysis: DocumentAnalysis) -> ServiceOccurrence? {
        occurrences(in: analysis).first { $0.range.start <= offset && offset <= $0.range.end }
    }

    /// Every occurrence of `name`.
    static func occurrences(of name: String, in analysis: DocumentAnalysis) -> [ServiceOccurrence] {
        occurrences(in: analysis).filter { $0.name == name }
    }

    /// The range inside the quotes, which is what rename replaces.
    static func innerRange(_ range: ByteRange, in source: SourceText) -> ByteRange {
        var inner = range
        if inner.length > 0, source.bytes[inner.start] == UInt8(ascii: "\"") { inner.start += 1 }
        if inner.end > inner.start, source.bytes[inner.end - 1] == UInt8(ascii: "\"") { inner.end -= 1 }
        return inner
    }

    /// Every key of the `services` object, duplicates included (the model keeps only the
    /// last, but rename must change all of them).
    private static func definitions(in tree: SyntaxTree) -> [ServiceOccurrence] {
        guard let root = tree.rootValue, let services = tree.lastValue(named: "services", in: root) else { return [] }
        return tree.members(of: services).map {
            ServiceOccurrence(name: $0.name, range: tree.range($0.key), kind: .definition)
        }
    }
}
