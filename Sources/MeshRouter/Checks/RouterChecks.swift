import MeshConfig
import MeshSyntax

/// The router's static checks of a config's rules: DM401 (invalid path pattern), DM402
/// (shadowed rule), DM403 (duplicate rule), DM405 (`stripPrefix` not a prefix), DM406
/// (both or neither of `service` and `split`) and DM407 (retries on a rule that only
/// matches non-idempotent methods).
///
/// DM404 is not reported here: the schema (weights, empty split) and `SplitChecks` (a
/// service listed twice) already cover every case of it. Findings the schema reports in
/// its own terms are not repeated either: a `path` or `stripPrefix` that does not start
/// with `/` is a DM203, so DM401 and DM405 look only at values that do.
public enum RouterChecks {
    /// The findings for `config`'s rules, unsorted. With the `tree` they came from, ranges
    /// are exact (keys, escapes), DM402/DM403 offer a quick fix removing the rule, and
    /// DM402/DM403 (and DM406 for a rule with neither target) wait until the file has no
    /// syntax errors.
    public static func diagnostics(for config: MeshConfig, tree: SyntaxTree? = nil) -> [Diagnostic] {
        var shadowing: ShadowMemo?
        return diagnostics(for: config, tree: tree, shadowing: &shadowing)
    }

    /// The same findings; `shadowing` brings the previous version's shadow analysis in and
    /// takes this version's out (nil when the analysis waits for a clean parse).
    public static func diagnostics(for config: MeshConfig, tree: SyntaxTree?, shadowing: inout ShadowMemo?)
        -> [Diagnostic]
    {
        var patterns: PatternMemo?
        return diagnostics(for: config, tree: tree, shadowing: &shadowing, patterns: &patterns)
    }

    /// The same findings; `patterns` brings in the patterns the previous version found
    /// valid and takes this version's out (``PatternMemo``), unless `recordingPatterns` is
    /// false: then it comes back empty (a one-off check keeps nothing for a next version).
    public static func diagnostics(
        for config: MeshConfig, tree: SyntaxTree?, shadowing: inout ShadowMemo?, patterns: inout PatternMemo?,
        recordingPatterns: Bool = true
    ) -> [Diagnostic] {
        let previous = shadowing
        shadowing = nil
        let previousPatterns = patterns
        var validPatterns = PatternMemo()
        defer { patterns = validPatterns }
        if let tree, tree.rootValue.map({ tree.kind($0) == .error }) ?? true { return [] }
        // With syntax errors, a rule may have lost a matcher and look broader than it is,
        // which would make a false "shadowed"; the shadow analysis waits for a clean parse.
        let analysesShadowing = tree?.hasErrors != true
        // With nothing to reuse, the shadow analysis compiles every rule, which parses its
        // pattern: DM401 then reads the pattern errors from that table instead of parsing
        // each pattern a second time.
        let table =
            analysesShadowing && previous == nil && previousPatterns == nil
            ? RouteTable(rules: config.routing.rules) : nil
        var diagnostics: [Diagnostic] = []
        let objects = tree.map(ruleObjects) ?? RuleObjects(objects: [])
        for (position, rule) in config.routing.rules.enumerated() {
            let patternDiagnostic =
                if let table {
                    invalidPattern(
                        rule, compiled: table.compiled[position], source: tree?.source, patterns: &validPatterns,
                        recording: recordingPatterns)
                } else {
                    invalidPattern(
                        rule, source: tree?.source, patterns: &validPatterns, previous: previousPatterns,
                        recording: recordingPatterns)
                }
            if let patternDiagnostic { diagnostics.append(patternDiagnostic) }
            if let diagnostic = invalidStripPrefix(rule) { diagnostics.append(diagnostic) }
            if let diagnostic = serviceAndSplit(rule, tree: tree, object: objects[start: rule.range.start]) {
                diagnostics.append(diagnostic)
            }
            if let diagnostic = retriesOnNonIdempotent(rule, config: config) { diagnostics.append(diagnostic) }
        }
        if analysesShadowing {
            let memo = ShadowAnalysis.analyze(rules: config.routing.rules, reusing: previous, table: table)
            shadowing = memo
            diagnostics += ShadowDiagnostics.diagnostics(
                rules: config.routing.rules, findings: memo.findings, source: tree?.source)
        }
        return diagnostics
    }

    /// The object nodes of `routing.rules` by their start offset, found once: looking each
    /// rule up from the root would scan the rules array again for every rule.
    static func ruleObjects(in tree: SyntaxTree) -> RuleObjects {
        guard let root = tree.rootValue, let routing = tree.lastValue(named: "routing", in: root),
            let rules = tree.lastValue(named: "rules", in: routing)
        else { return RuleObjects(objects: []) }
        let elements = tree.elements(of: rules)
        var objects: [(start: Int, node: NodeID)] = []
        objects.reserveCapacity(elements.count)
        for element in elements where tree.kind(element) == .object {
            objects.append((tree.range(element).start, element))
        }
        return RuleObjects(objects: objects)
    }

    /// Object nodes by start offset, in a sorted array rather than a `Dictionary`: the
    /// elements come in document order, so their starts already ascend, and hashing every
    /// one of them was a measurable part of the checks of a large file.
    struct RuleObjects {
        /// Ascending by `start`, each start once (distinct elements do not overlap).
        let objects: [(start: Int, node: NodeID)]

        /// The object that starts at `start`, if any.
        subscript(start start: Int) -> NodeID? {
            var low = 0
            var high = objects.count
            while low < high {
                let middle = low + (high - low) / 2
                if objects[middle].start < start { low = middle + 1 } else { high = middle }
            }
            return low < objects.count && objects[low].start == start ? objects[low].node : nil
        }
    }

    // MARK: DM401

    /// DM401 at the offending character of the pattern. A pattern `previous` or `patterns`
    /// knows as valid is not parsed again; a valid one is recorded in `patterns` when
    /// `recording`.
    static func invalidPattern(
        _ rule: Rule, source: SourceText?, patterns: inout PatternMemo, previous: PatternMemo?, recording: Bool = true
    ) -> Diagnostic? {
        guard let path = rule.path, path.value.hasPrefix("/"),
            let error = patterns.error(in: path.value, previous: previous, recording: recording)
        else { return nil }
        return invalidPattern(path, error: error, source: source)
    }

    /// DM401 for `rule`, from the pattern `compiled` (the same rule compiled) parsed, or the
    /// error it met: the same finding as parsing the pattern again.
    static func invalidPattern(
        _ rule: Rule, compiled: CompiledRule, source: SourceText?, patterns: inout PatternMemo, recording: Bool
    ) -> Diagnostic? {
        guard let path = rule.path, path.value.hasPrefix("/") else { return nil }
        guard let error = compiled.patternError else {
            if recording, compiled.pattern != nil { patterns.recordValid(path.value) }
            return nil
        }
        return invalidPattern(path, error: error, source: source)
    }

    private static func invalidPattern(_ path: Located<String>, error: PatternError, source: SourceText?) -> Diagnostic
    {
        Diagnostic(
            .invalidPathPattern, "invalid path pattern \(path.value): \(error.message)",
            at: characterRange(in: path, offset: error.offset, length: error.length, source: source))
    }

    /// The bytes `offset..<offset+length` of a string value inside its quotes. When the JSON
    /// string is written with escapes, offsets in the value are not offsets in the file,
    /// so the whole value is the range.
    static func characterRange(in value: Located<String>, offset: Int, length: Int, source: SourceText?) -> ByteRange {
        let range = value.range
        guard range.length >= 2 else { return range }
        let isVerbatim: Bool
        if let source, range.end <= source.count {
            isVerbatim = source.bytes[(range.start + 1)..<(range.end - 1)].elementsEqual(value.value.utf8)
        } else {
            // Every escape is longer than the character it stands for.
            isVerbatim = range.length == value.value.utf8.count + 2
        }
        guard isVerbatim else { return range }
        let start = min(range.start + 1 + offset, range.end - 1)
        return ByteRange(start: start, end: min(start + max(length, 1), range.end - 1))
    }

    // MARK: DM405

    /// DM405, decided on the pattern. `stripPrefix` S is accepted when
    /// 1. S is a prefix of the pattern's leading literal bytes L (every path the rule
    ///    matches starts with L and, past L, can continue with any byte, so this is exactly
    ///    "a prefix of every path the rule matches"), and
    /// 2. S ends at a segment boundary of those paths: S ends with `/`, or the byte after S
    ///    in L is `/`, or S is the whole pattern (`/health` for `/health`).
    /// So for `/api/users/*`: `/`, `/api`, `/api/`, `/api/users`, `/api/users/` are
    /// accepted, `/ap` (mid-segment) and `/v2` (not a prefix) are not, and for
    /// `/api/user*` neither is `/api/user` (the segment goes on: `/api/users`).
    static func invalidStripPrefix(_ rule: Rule) -> Diagnostic? {
        guard let strip = rule.stripPrefix, strip.value.hasPrefix("/"), let path = rule.path,
            case .success(let pattern) = PathPattern.parse(path.value)
        else { return nil }
        let prefix = Array(strip.value.utf8)
        var leading: [UInt8] = []
        if case .literal(let bytes)? = pattern.items.first { leading = bytes }
        let slash = UInt8(ascii: "/")
        if !leading.starts(with: prefix) {
            return Diagnostic(
                .invalidStripPrefix,
                "stripPrefix \(strip.value) is not a prefix of every path rule \(rule.displayName) matches: they "
                    + "start with \(String(decoding: leading, as: UTF8.self)) and can go on with anything",
                at: strip.range)
        }
        let endsAtBoundary =
            prefix.last == slash
            || (prefix.count < leading.count && leading[prefix.count] == slash)
            || (prefix.count == leading.count && pattern.items.count == 1)
        guard !endsAtBoundary else { return nil }
        return Diagnostic(
            .invalidStripPrefix,
            "stripPrefix \(strip.value) ends inside a path segment of \(path.value); end it at a '/' so forwarded "
                + "paths keep whole segments",
            at: strip.range)
    }

    // MARK: DM406

    /// DM406 at the `service` key (both) or the rule's opening brace (neither). With a
    /// tree, presence is read from the keys, so a `service` of the wrong type (already a
    /// DM202) still counts as present; a rule object cut short by a syntax error is not
    /// said to lack a target.
    static func serviceAndSplit(_ rule: Rule, tree: SyntaxTree?, object: NodeID?) -> Diagnostic? {
        var hasService = rule.service != nil
        var hasSplit = rule.split != nil
        var serviceKey = rule.service?.range
        if let tree {
            if let node = object, tree.range(node) == rule.range {
                let service = tree.member("service", of: node)
                hasService = service != nil
                serviceKey = service.map { tree.range($0.key) }
                hasSplit = tree.member("split", of: node) != nil
            }
            if !hasService, !hasSplit, tree.hasErrors { return nil }
        }
        if hasService, hasSplit, let serviceKey {
            return Diagnostic(
                .serviceAndSplit,
                "rule \(rule.displayName) has both 'service' and 'split'; keep one: 'service' sends every request to "
                    + "one service, 'split' divides them by weight",
                at: serviceKey)
        }
        if !hasService, !hasSplit {
            return Diagnostic(
                .serviceAndSplit,
                "rule \(rule.displayName) has neither 'service' nor 'split': add one to say where its requests go",
                at: ByteRange(start: rule.range.start, end: rule.range.start + 1))
        }
        return nil
    }

    // MARK: DM407

    /// The methods that are not idempotent (RFC 9110 section 9.2.2) among those a rule lists.
    static let nonIdempotentMethods: Set<String> = ["POST", "PATCH"]

    /// DM407: the rule lists only POST and/or PATCH, and the retries in force for it are
    /// above 0. Retries resolve as the router does (rule, then the target service, then
    /// `mesh.defaults`, field by field), and docs/guide/routing.md retries a method the rule lists
    /// explicitly even when it is not idempotent, so inherited retries are reported too.
    /// For a split, each branch's service is considered and the first that retries is
    /// named. The range is the rule's own `retries` when it sets attempts, else its
    /// `methods`, with the level that sets them as related information.
    static func retriesOnNonIdempotent(_ rule: Rule, config: MeshConfig) -> Diagnostic? {
        guard let methods = rule.methods, let first = methods.first, let last = methods.last,
            methods.allSatisfy({ nonIdempotentMethods.contains($0.value.asciiUppercased) })
        else { return nil }
        // The services the rule sends to, as the router picks them: a split's branches,
        // else `service`; nil stands for an undefined one (then only the rule and the
        // defaults can set retries).
        var targets: [Service?] = []
        if let split = rule.split {
            targets = split.compactMap { branch in branch.service.map { config.service(named: $0.value) } }
        } else if let service = rule.service {
            targets = [config.service(named: service.value)]
        }
        if targets.isEmpty { targets = [nil] }
        let listed = methods.map { $0.value.asciiUppercased }.joined(separator: ", ")
        for service in targets {
            let levels: [(policy: RetryPolicy?, origin: String, place: String)] = [
                (rule.policies.retries, "set on the rule", "the rule"),
                (
                    service?.policies.retries, "inherited from service '\(service?.name.value ?? "")'",
                    "service '\(service?.name.value ?? "")'"
                ),
                (config.mesh.defaults.retries, "inherited from mesh.defaults", "mesh.defaults"),
            ]
            guard let level = levels.firstIndex(where: { $0.policy?.attempts != nil }),
                let attempts = levels[level].policy?.attempts, attempts.value > 0
            else { continue }
            let message =
                "rule \(rule.displayName) only matches \(listed), which \(methods.count == 1 ? "is" : "are") not "
                + "idempotent, yet retries \(attempts.value) \(attempts.value == 1 ? "time" : "times") "
                + "(\(levels[level].origin)): a retried request may take effect twice; set \"retries\": 0 on the rule"
            if level == 0 {
                return Diagnostic(.retriesOnNonIdempotent, message, at: attempts.range)
            }
            return Diagnostic(
                .retriesOnNonIdempotent, message, at: first.range.union(last.range),
                related: [RelatedInformation(message: "retries set on \(levels[level].place)", range: attempts.range)])
        }
        return nil
    }
}
