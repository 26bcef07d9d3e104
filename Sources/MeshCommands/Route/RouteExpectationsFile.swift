import MeshRouter
import MeshSyntax

/// Reads route expectations files, held to `schemas/route-tests.schema.json`: an unknown
/// key (a misspelled `"servce"`) or a value of the wrong type (`"rule": true`) is an error
/// with its line and column, never a test that silently expects nothing (docs/guide/ci.md).
public enum RouteExpectationsFile {
    /// Why a file cannot be used: one sentence per problem, each starting `path:line:col:`.
    public struct Failure: Error, Sendable {
        public let messages: [String]

        /// Every problem, one per line.
        public var message: String { messages.joined(separator: "\n") }

        init(_ messages: [String]) {
            self.messages = messages
        }
    }

    /// At most this many problems are reported; the rest are counted.
    static let maximumProblems = 20

    /// Parses the expectations in `source` (JSON or JSONC); `path` is used in messages.
    public static func parse(_ source: SourceText, path: String) -> Result<[RouteExpectation], Failure> {
        let tree = JSONParser.parse(source, options: ParseOptions(dialect: .jsonc))
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            return .failure(Failure(["\(path):\(location(error.range.start, source)): \(error.message)"]))
        }
        var reader = ExpectationsReader(tree: tree, source: source, path: path)
        let expectations = reader.read()
        guard reader.problems.isEmpty else {
            var messages = Array(reader.problems.prefix(maximumProblems))
            if reader.problems.count > maximumProblems {
                messages.append("\(path): \(reader.problems.count - maximumProblems) more problems not shown")
            }
            return .failure(Failure(messages))
        }
        return .success(expectations)
    }

    static func location(_ offset: Int, _ source: SourceText) -> String {
        let position = source.lineIndex.position(of: offset, in: .utf16)
        return "\(position.line + 1):\(position.character + 1)"
    }
}

/// The strict reading of one expectations file: every member is checked against the
/// schema, and every problem is collected so that one run shows them all.
private struct ExpectationsReader {
    let tree: SyntaxTree
    let source: SourceText
    let path: String
    var problems: [String] = []

    static let fileKeys = ["$schema", "tests"]
    static let testKeys = ["name", "request", "expect"]
    static let requestKeys = ["method", "url", "headers", "cf"]
    static let cfKeys = ["colo", "country", "continent", "latitude", "longitude"]
    static let expectKeys = ["outcome", "rule", "service", "endpoint", "forwardPath"]
    static let outcomes = ["routed", "default", "no-route"]
    static let continents = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"]

    mutating func read() -> [RouteExpectation] {
        guard let root = tree.rootValue, let file = object(root, "the file", keys: Self.fileKeys) else { return [] }
        if let schema = file["$schema"] { _ = string(schema, "$schema") }
        guard let testsNode = file["tests"] else {
            problem(at: root, "the file needs a \"tests\" array")
            return []
        }
        guard tree.kind(testsNode) == .array else {
            problem(at: testsNode, "tests must be an array, found \(tree.kind(testsNode).nounPhrase)")
            return []
        }
        var expectations: [RouteExpectation] = []
        for (position, test) in tree.elements(of: testsNode).enumerated() {
            if let expectation = self.test(test, number: position + 1) { expectations.append(expectation) }
        }
        return expectations
    }

    private mutating func test(_ node: NodeID, number: Int) -> RouteExpectation? {
        let what = "test \(number)"
        guard let members = object(node, what, keys: Self.testKeys) else { return nil }
        let name = members["name"].flatMap { string($0, "\(what): name") } ?? what
        guard let requestNode = members["request"] else {
            problem(at: node, "\(what) needs \"request\": {\"url\": ...}")
            return nil
        }
        guard let request = object(requestNode, "\(what): request", keys: Self.requestKeys) else { return nil }
        var url: String?
        if let urlNode = request["url"], let text = string(urlNode, "\(what): request.url") {
            if text.lowercased().hasPrefix("http://") || text.lowercased().hasPrefix("https://") {
                url = text
            } else {
                problem(at: urlNode, "\(what): request.url must be an absolute http(s) URL, found '\(text)'")
            }
        } else if request["url"] == nil {
            problem(at: requestNode, "\(what): request needs a \"url\"")
        }
        let method = request["method"].flatMap { string($0, "\(what): request.method") } ?? "GET"
        let headers = request["headers"].map { self.headers($0, "\(what): request.headers") } ?? []
        let cf = request["cf"].map { geo($0, "\(what): request.cf") } ?? GeoContext()
        var expectation = RouteExpectation(
            name: name, line: source.lineIndex.line(containing: tree.range(node).start) + 1,
            method: method, url: url ?? "", headers: headers, cf: cf)
        if let expectNode = members["expect"] { expect(expectNode, "\(what): expect", into: &expectation) }
        return url == nil ? nil : expectation
    }

    private mutating func headers(_ node: NodeID, _ what: String) -> [(String, String)] {
        guard tree.kind(node) == .object else {
            problem(at: node, "\(what) must be an object, found \(tree.kind(node).nounPhrase)")
            return []
        }
        var headers: [(String, String)] = []
        for member in tree.members(of: node) {
            guard let value = member.value else { continue }
            if let text = string(value, "\(what).\(member.name)") { headers.append((member.name, text)) }
        }
        return headers
    }

    private mutating func geo(_ node: NodeID, _ what: String) -> GeoContext {
        guard let members = object(node, what, keys: Self.cfKeys) else { return GeoContext() }
        var cf = GeoContext()
        cf.colo = members["colo"].flatMap { string($0, "\(what).colo") }
        cf.country = members["country"].flatMap { string($0, "\(what).country") }
        if let node = members["continent"], let continent = string(node, "\(what).continent") {
            if Self.continents.contains(continent) {
                cf.continent = continent
            } else {
                problem(at: node, "\(what).continent is '\(continent)'; expected one of \(quoted(Self.continents))")
            }
        }
        cf.latitude = members["latitude"].flatMap { number($0, "\(what).latitude", within: -90...90) }
        cf.longitude = members["longitude"].flatMap { number($0, "\(what).longitude", within: -180...180) }
        return cf
    }

    private mutating func expect(_ node: NodeID, _ what: String, into expectation: inout RouteExpectation) {
        guard let members = object(node, what, keys: Self.expectKeys) else { return }
        expectation.expectedService = members["service"].flatMap { string($0, "\(what).service") }
        expectation.expectedEndpoint = members["endpoint"].flatMap { string($0, "\(what).endpoint") }
        expectation.expectedForwardPath = members["forwardPath"].flatMap { string($0, "\(what).forwardPath") }
        if let outcomeNode = members["outcome"], let outcome = string(outcomeNode, "\(what).outcome") {
            if Self.outcomes.contains(outcome) {
                expectation.expectedOutcome = outcome
            } else {
                let hint = EditDistance.suggestion(for: outcome, among: Self.outcomes).map { "; did you mean '\($0)'?" }
                problem(
                    at: outcomeNode,
                    "\(what).outcome is '\(outcome)'; expected one of \(quoted(Self.outcomes))\(hint ?? "")")
            }
        }
        if let ruleNode = members["rule"] {
            if let name = tree.string(ruleNode) {
                expectation.expectedRule = .name(name)
            } else if let index = tree.integer(ruleNode), index >= 0 {
                expectation.expectedRule = .index(index)
            } else {
                let found = tree.kind(ruleNode).nounPhrase
                problem(at: ruleNode, "\(what).rule must be a rule name or a rule index (0 or more), found \(found)")
            }
        }
    }

    // MARK: Members

    /// The members of an object node, by name (the last of a duplicated key wins, as in
    /// JSON parsers); an unknown key is a problem, with a did-you-mean when one is close.
    private mutating func object(_ node: NodeID, _ what: String, keys: [String]) -> [String: NodeID]? {
        guard tree.kind(node) == .object else {
            problem(at: node, "\(what) must be an object, found \(tree.kind(node).nounPhrase)")
            return nil
        }
        var members: [String: NodeID] = [:]
        for member in tree.members(of: node) {
            guard keys.contains(member.name) else {
                let hint = EditDistance.suggestion(for: member.name, among: keys).map { "; did you mean '\($0)'?" }
                problem(
                    at: member.key,
                    "unknown key '\(member.name)' in \(what)\(hint ?? "") (allowed: \(keys.joined(separator: ", ")))")
                continue
            }
            if let value = member.value { members[member.name] = value }
        }
        return members
    }

    private mutating func string(_ node: NodeID, _ what: String) -> String? {
        guard let text = tree.string(node) else {
            problem(at: node, "\(what) must be a string, found \(tree.kind(node).nounPhrase)")
            return nil
        }
        return text
    }

    private mutating func number(_ node: NodeID, _ what: String, within bounds: ClosedRange<Double>) -> Double? {
        guard let value = tree.number(node) else {
            problem(at: node, "\(what) must be a number, found \(tree.kind(node).nounPhrase)")
            return nil
        }
        guard bounds.contains(value) else {
            problem(at: node, "\(what) must be between \(Int(bounds.lowerBound)) and \(Int(bounds.upperBound))")
            return nil
        }
        return value
    }

    private mutating func problem(at node: NodeID, _ message: String) {
        problems.append("\(path):\(RouteExpectationsFile.location(tree.range(node).start, source)): \(message)")
    }

    private func quoted(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
