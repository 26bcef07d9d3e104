import MeshConfig
import MeshSyntax

/// A routing rule compiled once for matching: its path pattern parsed, its methods, host,
/// headers and geo conditions normalized so that matching a request only compares.
///
/// A rule matches when every matcher it has matches; the matchers are checked in the
/// order path, methods, host, headers, geo, so the cheap and most selective check (the
/// path) decides most requests. A rule whose `path` is missing or invalid never matches.
public struct CompiledRule: Sendable {
    /// Everything lives in one shared object so that copying a compiled rule (iterating
    /// `RouteTable.compiled`, building traces) costs one retain, not one per field.
    private let storage: Storage

    /// The rule as read from the config.
    public var rule: Rule { storage.rule }
    /// The rule's position in `routing.rules` as the config reports it (`rule.index`).
    public var index: Int { storage.rule.index }
    /// The parsed path pattern; nil when the path is missing or invalid.
    public var pattern: PathPattern? {
        guard storage.isRead, let path = storage.rule.path else { return storage.pattern }
        if case .success(let parsed) = PathPattern.parse(path.value) { return parsed }
        return nil
    }
    /// Why the path pattern is invalid; nil when it parsed (or is missing).
    public var patternError: PatternError? {
        guard storage.isRead, let path = storage.rule.path else { return storage.patternError }
        if case .failure(let error) = PathPattern.parse(path.value) { return error }
        return nil
    }
    /// The allowed methods in upper case; nil when the rule accepts any method.
    public var methods: NameSet? { storage.methods }
    /// The host condition; nil when the rule accepts any host.
    public var host: HostMatcher? { storage.host }
    /// The header conditions, in the order the rule writes them.
    public var headers: [HeaderRequirement] { storage.headers }
    /// The geo condition; nil when the rule has no `geo`.
    public var geo: GeoRequirement? { storage.geo }

    /// `methods` as ``MethodBits``.
    var methodMask: UInt32 { storage.methodMask }
    /// The path pattern as a ``PathProgram`` (empty when the pattern is missing/invalid).
    var pathOps: [PathOp] { storage.pathOps }
    var pathArena: [UInt8] { storage.pathArena }
    /// Whether the rule has a host, header or geo condition.
    var hasConditions: Bool { storage.hasConditions }

    private final class Storage: Sendable {
        let rule: Rule
        let pattern: PathPattern?
        let patternError: PatternError?
        let methods: NameSet?
        /// The methods as the rule writes them (upper-cased), for messages in a stable order.
        let methodList: [String]
        let methodMask: UInt32
        let host: HostMatcher?
        let headers: [HeaderRequirement]
        let geo: GeoRequirement?
        let pathOps: [PathOp]
        let pathArena: [UInt8]
        let hasConditions: Bool
        /// Whether the rule was read from a route plan with its path program: then the
        /// pattern is parsed when asked for (traces, witnesses), which the edge router's
        /// decisions never do, so its module carries no pattern parser.
        let isRead: Bool

        convenience init(_ rule: Rule) {
            var ops: [PathOp] = []
            var arena: [UInt8] = []
            var pattern: PathPattern?
            var patternError: PatternError?
            switch rule.path.map({ PathPattern.parse($0.value) }) {
            case .success(let parsed)?:
                pattern = parsed
                PathProgram.append(parsed, to: &ops, arena: &arena)
            case .failure(let error)?:
                patternError = error
            case nil:
                break
            }
            self.init(rule, pattern: pattern, patternError: patternError, pathOps: ops, pathArena: arena, isRead: false)
        }

        init(
            _ rule: Rule, pattern: PathPattern?, patternError: PatternError?, pathOps: [PathOp], pathArena: [UInt8],
            isRead: Bool
        ) {
            self.rule = rule
            self.pattern = pattern
            self.patternError = patternError
            self.pathOps = pathOps
            self.pathArena = pathArena
            self.isRead = isRead
            // Methods are compared in upper case, as `RouteRequest` stores them; the config
            // asks for upper case, and a lower-case entry is still meant as that method.
            // Methods written in upper case, as nearly all are, are kept as they are.
            let list = rule.methods.map { $0.map { $0.value.asciiUppercased } }
            methodList = list ?? []
            methods = list.map(NameSet.init)
            methodMask = MethodBits.mask(list)
            host = rule.host.map { HostMatcher($0.value) }
            headers = rule.headers.map { HeaderRequirement(name: $0.name.value, condition: $0.condition.value) }
            geo = rule.geo.map(GeoRequirement.init)
            hasConditions = host != nil || !headers.isEmpty || geo != nil
        }
    }

    /// Compiles `rule`. Never fails: problems make the rule unmatchable and are kept in
    /// `patternError` for diagnostics.
    public init(_ rule: Rule) {
        storage = Storage(rule)
    }

    /// `rule` with the path program a route plan carries for it (``PathProgram``: `ops`
    /// over `arena`, empty when its path is missing or invalid); the other matchers are
    /// compiled from the rule, the pattern parsed only when asked for.
    init(_ rule: Rule, pathOps: [PathOp], pathArena: [UInt8]) {
        storage = Storage(rule, pattern: nil, patternError: nil, pathOps: pathOps, pathArena: pathArena, isRead: true)
    }

    /// Whether `request` matches every matcher of the rule. Allocates nothing.
    public func matches(_ request: RouteRequest) -> Bool {
        matchesPath(request) && allowsMethod(request, bit: MethodBits.bit(request.method))
            && (!storage.hasConditions || matchesConditions(request))
    }

    /// The path matcher alone; false when the pattern is missing or invalid.
    func matchesPath(_ request: RouteRequest) -> Bool {
        // A missing or invalid pattern leaves the program empty; it must not match "".
        guard !storage.pathOps.isEmpty else { return false }
        var path = request.path
        return path.withUTF8 { bytes in
            storage.pathOps.withUnsafeBufferPointer { ops in
                storage.pathArena.withUnsafeBufferPointer { PathProgram.matches(ops, $0, path: bytes) }
            }
        }
    }

    /// The methods matcher, given the request method's ``MethodBits`` bit.
    @inline(__always)
    func allowsMethod(_ request: RouteRequest, bit: UInt32) -> Bool {
        guard storage.methodMask & bit != 0 else { return false }
        // Methods outside the bit table share one bit; confirm those by name.
        if bit == MethodBits.other, storage.methodMask != MethodBits.any {
            return storage.methods?.contains(request.method) ?? true
        }
        return true
    }

    /// The host, headers and geo matchers.
    func matchesConditions(_ request: RouteRequest) -> Bool {
        if let host = storage.host, !host.matches(request.host) { return false }
        for header in storage.headers where !header.matches(request.headers) { return false }
        if let geo = storage.geo, !geo.matches(request.cf) { return false }
        return true
    }

    /// Nil when `request` matches; otherwise why not, as a short phrase naming the first
    /// failing matcher in the order path, methods, host, headers, geo
    /// (`method POST not in [GET]`).
    public func failure(for request: RouteRequest) -> String? {
        guard let pattern else {
            if let patternError, let source = rule.path?.value {
                return "path pattern \(source) is invalid: \(patternError.message)"
            }
            return "the rule has no path"
        }
        if !matchesPath(request) {
            return "path \(MatchText.clipped(request.path)) does not match \(pattern.source)"
        }
        if !allowsMethod(request, bit: MethodBits.bit(request.method)) {
            return "method \(MatchText.clipped(request.method)) not in [\(storage.methodList.joined(separator: ", "))]"
        }
        if let host, !host.matches(request.host) {
            return "host \(MatchText.clipped(request.host)) is not \(host.pattern)"
        }
        for header in headers {
            if let reason = header.failure(request.headers) { return reason }
        }
        if let geo, let reason = geo.failure(request.cf) { return reason }
        return nil
    }
}

/// Shortens request text quoted in messages, so a 100 KB path does not become a 100 KB
/// trace line.
enum MatchText {
    static let limit = 120

    static func clipped(_ text: String) -> String {
        guard text.utf8.count > limit else { return text }
        return text.prefix(scalars: limit) + "… (\(text.utf8.count) bytes)"
    }
}
