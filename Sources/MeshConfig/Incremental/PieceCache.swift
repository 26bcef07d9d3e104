import MeshSyntax

/// What was computed for each service and each rule of one version of a config, by its
/// text, kept for the next version: a service whose text did not change is neither
/// validated nor modelled again, and a rule is not validated again; their findings and
/// models are only moved to where they now stand (docs/architecture.md, "Incremental
/// analysis").
///
/// Why reuse is exact: the schema findings and the model of a member of `services` are a
/// function of that member's bytes alone (name and value; every service has the same
/// schema, and neither reads anything outside its member), except for their offsets,
/// which are shifted by how far the member moved. The same holds for the schema findings of
/// an element of `routing.rules`. Entries are keyed by the bytes themselves, so equal keys mean equal text, never
/// a hash that happened to match. Services and rules are kept in tables of their own.
public struct PieceCache: Sendable {
    /// A service's schema findings and model, at the offset `start` of its member.
    struct Piece: Sendable {
        var start: Int
        var schemaDiagnostics: [Diagnostic]?
        /// The model, boxed: a ``Service`` is 856 bytes, and the table keeps a slot for
        /// every service plus a quarter, which held 3.8 MB for 2,400 services inline.
        var model: ServiceModel?
        /// The findings about the service's endpoint URLs and duplicates (DM501-DM503),
        /// which read nothing but the service's own endpoints.
        var endpointDiagnostics: [Diagnostic]?
    }

    /// A rule's schema findings, at the offset `start` of its object. Its model is built
    /// again: moving a rule's model cost as much as building it.
    struct RulePiece: Sendable {
        var start: Int
        var schemaDiagnostics: [Diagnostic]?
    }

    private(set) var pieces: [PieceKey: Piece] = [:]
    private(set) var rules: [PieceKey: RulePiece] = [:]
    /// This version's key of each member recorded, by the member's start: the validator
    /// computes them, and the model builder looks them up instead of hashing every
    /// service's bytes a second time.
    private var keysByStart: [Int: PieceKey] = [:]

    /// How many services this version took from the previous one, and how many it
    /// computed: for tests and benchmarks.
    public internal(set) var reused = 0
    public internal(set) var computed = 0
    /// The same for rules' schema findings.
    public internal(set) var rulesReused = 0
    public internal(set) var rulesComputed = 0

    /// An empty cache.
    public init() {}

    /// The key of the member at `range` of `source`: compute it once per member and pass it
    /// to the lookups and records below.
    static func key(at range: ByteRange, in source: SourceText) -> PieceKey {
        PieceKey(source.bytes[range.start..<range.end])
    }

    /// The key of the member at `range`, as recorded in this version, else computed.
    func recordedKey(at range: ByteRange, in source: SourceText) -> PieceKey {
        keysByStart[range.start] ?? Self.key(at: range, in: source)
    }

    /// The key recorded in this version for the member starting at `start`, if any.
    func recordedKey(startingAt start: Int) -> PieceKey? {
        keysByStart[start]
    }

    /// Makes room for `count` members, so that recording them does not grow (and move)
    /// the tables again and again.
    mutating func reserveCapacity(_ count: Int) {
        pieces.reserveCapacity(count)
        keysByStart.reserveCapacity(count)
    }

    /// The previous version's piece with exactly these bytes.
    func piece(_ key: PieceKey) -> Piece? {
        pieces[key]
    }

    /// Records the schema findings of the member at `start` with bytes `key`.
    mutating func recordSchema(_ diagnostics: [Diagnostic], key: PieceKey, start: Int) {
        record(key, start: start) { $0.schemaDiagnostics = diagnostics }
    }

    /// Records the model of the member at `start` with bytes `key`.
    mutating func recordService(_ service: Service, key: PieceKey, start: Int) {
        record(key, start: start) { $0.model = ServiceModel(service) }
    }

    /// The previous version's rule with exactly these bytes.
    func rulePiece(_ key: PieceKey) -> RulePiece? {
        rules[key]
    }

    /// Records the schema findings of the rule at `start` with bytes `key`.
    mutating func recordRuleSchema(_ diagnostics: [Diagnostic], key: PieceKey, start: Int) {
        Self.record(key, start: start, in: &rules) { $0.schemaDiagnostics = diagnostics }
        keysByStart[start] = key
    }

    /// Records the endpoint findings of the member at `start` with bytes `key`.
    mutating func recordEndpoints(_ diagnostics: [Diagnostic], key: PieceKey, start: Int) {
        record(key, start: start) { $0.endpointDiagnostics = diagnostics }
    }

    private mutating func record(_ key: PieceKey, start: Int, _ update: (inout Piece) -> Void) {
        Self.record(key, start: start, in: &pieces, update)
        keysByStart[start] = key
    }

    /// Two pieces with the same bytes (a service or rule written twice) share one entry,
    /// the first's: results and `start` must come from the same piece to move correctly.
    private static func record<Entry: PieceEntry>(
        _ key: PieceKey, start: Int, in table: inout [PieceKey: Entry], _ update: (inout Entry) -> Void
    ) {
        // One lookup: the entry is updated in place through the defaulting subscript.
        func updateIfSamePiece(_ entry: inout Entry) {
            if entry.start == start { update(&entry) }
        }
        updateIfSamePiece(&table[key, default: Entry(start: start)])
    }
}

/// A service's model in a ``PieceCache``, shared by reference.
final class ServiceModel: Sendable {
    let service: Service

    init(_ service: Service) { self.service = service }
}

extension PieceCache.Piece {
    /// The recorded model, if any.
    var service: Service? { model?.service }
}

/// An entry of a ``PieceCache`` table: what was computed for the piece at `start`.
protocol PieceEntry {
    var start: Int { get }
    init(start: Int)
}

extension PieceCache.Piece: PieceEntry {
    init(start: Int) { self.start = start }
}

extension PieceCache.RulePiece: PieceEntry {
    init(start: Int) { self.start = start }
}
