import MeshSyntax

/// Checks a syntax tree against ``MeshSchema`` and reports DM201-DM206 (and the few
/// value codes, such as DM507, that the schema assigns to particular keys).
///
/// It walks the tree once. Syntax junk (`.error` nodes) is skipped because the parser has
/// already reported it, so a half-typed file gets one diagnostic per problem.
struct SchemaValidator {
    let tree: SyntaxTree
    private(set) var diagnostics: [Diagnostic] = []
    /// The previous version's findings per service, reused for services whose text is the
    /// same (``PieceCache``).
    private let previous: PieceCache?
    /// This version's findings per service, for the next version; nil when nobody keeps
    /// them (`diddy-mesh check` analyses each file once).
    var pieces: PieceCache?

    init(tree: SyntaxTree, reusing previous: PieceCache? = nil, recording: Bool = false) {
        self.tree = tree
        self.previous = previous
        self.pieces = recording ? PieceCache() : nil
    }

    mutating func validate() {
        guard let root = tree.rootValue else { return }
        validate(root, against: MeshSchema.root, keyRange: nil)
    }

    /// Validates `node`; `keyRange` is the key of the member holding it, where missing keys
    /// inside it are reported.
    private mutating func validate(_ node: NodeID, against schema: SchemaNode, keyRange: ByteRange?) {
        let kind = tree.kind(node)
        if kind == .error { return }
        switch schema.kind {
        case .anyOf(let alternatives):
            guard
                let match = alternatives.first(where: { Self.accepts($0, kind: kind, tree: tree, node: node) })
                    ?? alternatives.first(where: { Self.acceptsLoosely($0, kind: kind) })
            else {
                wrongType(node, expected: schema.typeNames, what: schema.title)
                return
            }
            validate(node, against: match, keyRange: keyRange)
        case .string(let allowed, let pattern):
            guard kind == .string, let value = tree.string(node) else {
                return wrongType(node, expected: ["string"], what: schema.title)
            }
            if let allowed, !allowed.contains(value) {
                notAllowed(node, value: value, allowed: allowed, schema: schema)
            } else if let pattern, !pattern.matches(value) {
                report(
                    schema.valueCode, "invalid \(schema.title) '\(value)': expected \(pattern.expectation)",
                    at: tree.range(node))
            }
        case .integer(let minimum, let maximum):
            guard kind == .number else { return wrongType(node, expected: ["integer"], what: schema.title) }
            // As a Double, not an Int, since Int is 32 bits wide on wasm32 and a config must get
            // the same findings from the tools and the edge router (a timeout of 3e9 is out of
            // range for both, not "not an integer" for one).
            guard let value = tree.wholeNumber(node) else {
                if tree.number(node) != nil { wrongType(node, expected: ["integer"], what: schema.title) }
                return
            }
            if schema.valueCode == .unsupportedVersion {
                if value != 1 {
                    report(
                        .unsupportedVersion,
                        "unsupported config version \(Self.format(value)): this version of diddy-mesh reads version 1",
                        at: tree.range(node),
                        fixes: [Fix(title: "Use version 1", edits: [TextEdit(range: tree.range(node), newText: "1")])])
                }
                return
            }
            checkRange(
                node, value, minimum: minimum.map(Double.init), maximum: maximum.map(Double.init),
                exclusiveMinimum: nil, schema: schema)
        case .number(let minimum, let maximum, let exclusiveMinimum):
            guard kind == .number else { return wrongType(node, expected: ["number"], what: schema.title) }
            guard let value = tree.number(node) else { return }
            guard value.isFinite else {
                // `1e400` parses, but as infinity, which no range check or weight sum survives.
                return report(
                    .valueOutOfRange,
                    "\(schema.title) is too large to represent: numbers must stay below about 1.8e308",
                    at: tree.range(node))
            }
            checkRange(
                node, value, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum, schema: schema)
        case .boolean:
            if kind != .trueLiteral, kind != .falseLiteral {
                wrongType(node, expected: ["boolean"], what: schema.title)
            }
        case .object(let properties):
            guard kind == .object else { return wrongType(node, expected: ["object"], what: schema.title) }
            validateObject(node, properties: properties, schema: schema, keyRange: keyRange)
        case .map(let keyPattern, let keyCode, let keyWhat, let value):
            guard kind == .object else { return wrongType(node, expected: ["object"], what: schema.title) }
            let members = tree.members(of: node)
            if schema === MeshSchema.services { pieces?.reserveCapacity(members.count) }
            for member in members {
                // Each service is validated from its own bytes alone, so an unchanged one
                // takes its previous findings, moved.
                let range = tree.range(member.node)
                let isPiece = schema === MeshSchema.services && (previous != nil || pieces != nil)
                let key = isPiece ? PieceCache.key(at: range, in: tree.source) : nil
                if let key, let cached = previous?.piece(key), let findings = cached.schemaDiagnostics {
                    let moved = findings.map { $0.shifted(by: range.start - cached.start) }
                    diagnostics += moved
                    pieces?.recordSchema(moved, key: key, start: range.start)
                    continue
                }
                let first = diagnostics.count
                defer {
                    if let key { pieces?.recordSchema(Array(diagnostics[first...]), key: key, start: range.start) }
                }
                if let keyPattern, !keyPattern.matches(member.name) {
                    report(
                        keyCode, "invalid \(keyWhat) '\(member.name)': use \(keyPattern.expectation)",
                        at: tree.range(member.key),
                        fixes: Self.nameFix(member.name, pattern: keyPattern, range: tree.range(member.key)))
                }
                if let valueNode = member.value {
                    validate(valueNode, against: value, keyRange: tree.range(member.key))
                }
            }
        case .array(let items, let minItems):
            guard kind == .array else { return wrongType(node, expected: ["array"], what: schema.title) }
            let elements = tree.elements(of: node)
            if elements.count < minItems {
                report(
                    schema.valueCode == .valueOutOfRange ? .valueOutOfRange : schema.valueCode,
                    "\(schema.title) must have at least \(minItems) \(minItems == 1 ? "entry" : "entries")",
                    at: tree.range(node))
            }
            // Each rule, like each service, is validated from its own bytes alone.
            let isPiece = items === MeshSchema.rule && (previous != nil || pieces != nil)
            for element in elements {
                guard isPiece else {
                    validate(element, against: items, keyRange: nil)
                    continue
                }
                let range = tree.range(element)
                let key = PieceCache.key(at: range, in: tree.source)
                if let cached = previous?.rulePiece(key), let findings = cached.schemaDiagnostics {
                    let moved = findings.map { $0.shifted(by: range.start - cached.start) }
                    diagnostics += moved
                    pieces?.recordRuleSchema(moved, key: key, start: range.start)
                    pieces?.rulesReused += 1
                    continue
                }
                let first = diagnostics.count
                validate(element, against: items, keyRange: nil)
                pieces?.recordRuleSchema(Array(diagnostics[first...]), key: key, start: range.start)
                pieces?.rulesComputed += 1
            }
        }
    }

    private mutating func validateObject(
        _ node: NodeID, properties: [SchemaProperty], schema: SchemaNode, keyRange: ByteRange?
    ) {
        // Keys are matched on their raw bytes and present keys kept as a bit set: this runs
        // for every object of the config, and decoding keys into strings dominated its cost.
        var presentMask: UInt64 = 0
        // Schemas have far fewer than 64 properties; the set only serves one that has more.
        var presentBeyondMask = Set<Int>()
        var unknown: [(member: NodeID, key: NodeID)] = []
        for member in tree.children(node) where tree.kind(member) == .member {
            guard let key = tree.firstChild(of: member), tree.kind(key) == .string else { continue }
            guard let index = tree.index(ofKey: key, among: schema.propertyNameBytes) else {
                unknown.append((member, key))
                continue
            }
            if index < 64 { presentMask |= 1 << UInt64(index) } else { presentBeyondMask.insert(index) }
            if let value = tree.nextSibling(of: key) {
                validate(value, against: properties[index].node, keyRange: tree.range(key))
            }
        }
        func isPresent(_ index: Int) -> Bool {
            index < 64 ? presentMask & (1 << UInt64(index)) != 0 : presentBeyondMask.contains(index)
        }
        if !unknown.isEmpty {
            // A key written anywhere in the object is no suggestion, whatever the key order.
            let candidates = properties.indices.filter { !isPresent($0) }.map { properties[$0].name }
            for (member, key) in unknown {
                let name = tree.string(key) ?? ""
                unknownKey(
                    ObjectMember(node: member, key: key, name: name, value: tree.nextSibling(of: key)), in: schema,
                    candidates: candidates.filter { $0 != name })
            }
        }
        for (index, property) in properties.enumerated() where property.required && !isPresent(index) {
            let objectRange = tree.range(node)
            let range = keyRange ?? ByteRange(start: objectRange.start, end: objectRange.start + 1)
            report(
                .missingRequiredKey, "\(schema.title) is missing the required key '\(property.name)'", at: range,
                help: [property.node.doc])
        }
    }

    // MARK: Findings

    private mutating func unknownKey(_ member: ObjectMember, in schema: SchemaNode, candidates: [String]) {
        let keyRange = tree.range(member.key)
        if let suggestion = EditDistance.suggestion(for: member.name, among: candidates) {
            report(
                .unknownKey, "unknown key '\(member.name)' in \(schema.title); did you mean '\(suggestion)'?",
                at: keyRange,
                fixes: [
                    Fix(
                        title: "Replace with '\(suggestion)'",
                        edits: [TextEdit(range: keyRange, newText: "\"\(suggestion)\"")])
                ])
        } else {
            let known = schema.properties.map { "'\($0.name)'" }.joined(separator: ", ")
            report(
                .unknownKey, "unknown key '\(member.name)' in \(schema.title)", at: keyRange,
                help: ["known keys: \(known)"])
        }
    }

    private mutating func wrongType(_ node: NodeID, expected: [String], what: String) {
        let found = tree.kind(node).displayName
        let expectedText = Self.list(
            Array(Set(expected)).sorted(by: { expected.firstIndex(of: $0) ?? 0 < expected.firstIndex(of: $1) ?? 0 }))
        var message = "\(what) must be \(Self.article(expectedText)) \(expectedText), found \(found)"
        if found == "number", expected == ["integer"], let value = tree.number(node) {
            message = "\(what) must be an integer, found \(Self.format(value))"
        }
        report(.wrongType, message, at: tree.range(node))
    }

    private mutating func notAllowed(_ node: NodeID, value: String, allowed: [String], schema: SchemaNode) {
        let range = tree.range(node)
        let listed =
            allowed.count > 16
            ? "see the documentation for the list"
            : "expected one of " + allowed.map { "'\($0)'" }.joined(separator: ", ")
        if let suggestion = Self.suggestion(for: value, among: allowed, codes: schema.valueCode == .unknownGeoCode) {
            report(
                schema.valueCode, "unknown \(schema.title) '\(value)'; did you mean '\(suggestion)'?", at: range,
                help: allowed.count > 16 ? [] : [listed],
                fixes: [
                    Fix(
                        title: "Replace with '\(suggestion)'",
                        edits: [TextEdit(range: range, newText: "\"\(suggestion)\"")])
                ])
        } else {
            report(schema.valueCode, "unknown \(schema.title) '\(value)': \(listed)", at: range)
        }
    }

    /// Codes people commonly write for the ISO ones.
    static let codeAliases = ["UK": "GB", "EL": "GR"]

    /// A "did you mean" for an enum value. Geographic codes get only a case fix, a known
    /// alias or a code the value starts with ("EUR" -> "EU"): between two-letter codes
    /// edit distance is noise ("UK" is one edit from the Cook Islands' "CK", but means "GB").
    static func suggestion(for value: String, among allowed: [String], codes: Bool) -> String? {
        guard codes else { return EditDistance.suggestion(for: value, among: allowed) }
        let upper = value.uppercased()
        if let alias = codeAliases[upper], allowed.contains(alias) { return alias }
        if let same = allowed.first(where: { $0 == upper }) { return same }
        return allowed.filter { upper.hasPrefix($0) }.max { $0.count < $1.count }
    }

    private mutating func checkRange(
        _ node: NodeID, _ value: Double, minimum: Double?, maximum: Double?, exclusiveMinimum: Double?,
        schema: SchemaNode
    ) {
        var problem: String?
        if let minimum, value < minimum { problem = "must be at least \(Self.format(minimum))" }
        if let maximum, value > maximum { problem = "must be at most \(Self.format(maximum))" }
        if let exclusiveMinimum, value <= exclusiveMinimum {
            problem = "must be greater than \(Self.format(exclusiveMinimum))"
        }
        guard let problem else { return }
        report(
            schema.valueCode, "\(schema.title) \(Self.format(value)) is out of range: it \(problem)",
            at: tree.range(node))
    }

    private mutating func report(
        _ code: DiagnosticCode, _ message: String, at range: ByteRange, help: [String] = [], fixes: [Fix] = []
    ) {
        diagnostics.append(Diagnostic(code, message, at: range, help: help, fixes: fixes))
    }

    // MARK: Helpers

    /// Whether `schema` is the alternative for a value of this JSON kind.
    static func accepts(_ schema: SchemaNode, kind: SyntaxKind, tree: SyntaxTree, node: NodeID) -> Bool {
        switch (schema.kind, kind) {
        case (.string, .string), (.boolean, .trueLiteral), (.boolean, .falseLiteral), (.object, .object),
            (.map, .object), (.array, .array):
            return true
        case (.integer, .number):
            return tree.wholeNumber(node) != nil
        case (.number, .number):
            return true
        case (.anyOf(let alternatives), _):
            return alternatives.contains { accepts($0, kind: kind, tree: tree, node: node) }
        default:
            return false
        }
    }

    /// A fallback match for numbers: `2.5` where only an integer fits is reported as a
    /// wrong integer rather than as "expected integer or object".
    static func acceptsLoosely(_ schema: SchemaNode, kind: SyntaxKind) -> Bool {
        if case .integer = schema.kind, kind == .number { return true }
        return false
    }

    static func nameFix(_ name: String, pattern: StringPattern, range: ByteRange) -> [Fix] {
        let lowered = name.lowercased().map { $0 == "_" || $0 == " " || $0 == "." ? "-" : $0 }
        let candidate = String(lowered)
        guard candidate != name, pattern.matches(candidate) else { return [] }
        return [Fix(title: "Rename to '\(candidate)'", edits: [TextEdit(range: range, newText: "\"\(candidate)\"")])]
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return "value"
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
        }
    }

    static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    /// A number as the messages write it: `30000`, not `30000.0` (the docs' spelling).
    static func format(_ value: Double) -> String {
        SchemaTypeText.format(value)
    }
}
