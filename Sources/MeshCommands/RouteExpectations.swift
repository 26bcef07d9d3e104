import MeshRouter
import MeshSyntax

/// One test of a route expectations file (cli.md, in the spirit of Envoy's route table
/// check tool): a request and what routing it should give.
public struct RouteExpectation: Sendable {
    /// Which rule a test expects: by name, or by index in `routing.rules`.
    public enum RuleReference: Sendable, Hashable, CustomStringConvertible {
        case name(String)
        case index(Int)

        public var description: String {
            switch self {
            case .name(let name): "'\(name)'"
            case .index(let index): "#\(index)"
            }
        }
    }

    /// The test's name, or `test N`.
    public var name: String
    /// The 1-based line of the test in its file.
    public var line: Int
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var cf: GeoContext
    public var expectedService: String?
    public var expectedRule: RuleReference?
    public var expectedEndpoint: String?
    public var expectedOutcome: String?
    public var expectedForwardPath: String?
}

/// Reads route expectations files.
public enum RouteExpectationsFile {
    /// Why a file cannot be used.
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// Parses the expectations in `source` (JSON or JSONC); `path` is used in messages.
    public static func parse(_ source: SourceText, path: String) -> Result<[RouteExpectation], Failure> {
        let tree = JSONParser.parse(source, options: ParseOptions(dialect: .jsonc))
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            return .failure(Failure(message: "\(path):\(location(error.range.start, source)): \(error.message)"))
        }
        guard let root = tree.rootValue, tree.kind(root) == .object,
              let testsNode = tree.lastValue(named: "tests", in: root), tree.kind(testsNode) == .array else {
            return .failure(Failure(message: "\(path): expected an object with a \"tests\" array"))
        }
        var expectations: [RouteExpectation] = []
        for (position, test) in tree.elements(of: testsNode).enumerated() {
            let here = "\(path):\(location(tree.range(test).start, source))"
            guard tree.kind(test) == .object else { return .failure(Failure(message: "\(here): each test must be an object")) }
            guard let request = tree.lastValue(named: "request", in: test), tree.kind(request) == .object,
                  let urlNode = tree.lastValue(named: "url", in: request), let url = tree.string(urlNode) else {
                return .failure(Failure(message: "\(here): a test needs \"request\": {\"url\": ...}"))
            }
            var headers: [(String, String)] = []
            if let headersNode = tree.lastValue(named: "headers", in: request) {
                for member in tree.members(of: headersNode) {
                    guard let value = member.value, let text = tree.string(value) else {
                        return .failure(Failure(message: "\(here): header '\(member.name)' must be a string"))
                    }
                    headers.append((member.name, text))
                }
            }
            var cf = GeoContext()
            if let cfNode = tree.lastValue(named: "cf", in: request) {
                func text(_ key: String) -> String? { tree.lastValue(named: key, in: cfNode).flatMap(tree.string) }
                func number(_ key: String) -> Double? { tree.lastValue(named: key, in: cfNode).flatMap(tree.number) }
                cf = GeoContext(colo: text("colo"), country: text("country"), continent: text("continent"),
                                latitude: number("latitude"), longitude: number("longitude"))
            }
            var expectation = RouteExpectation(
                name: tree.lastValue(named: "name", in: test).flatMap(tree.string) ?? "test \(position + 1)",
                line: source.lineIndex.line(containing: tree.range(test).start) + 1,
                method: tree.lastValue(named: "method", in: request).flatMap(tree.string) ?? "GET",
                url: url, headers: headers, cf: cf
            )
            if let expect = tree.lastValue(named: "expect", in: test) {
                expectation.expectedService = tree.lastValue(named: "service", in: expect).flatMap(tree.string)
                expectation.expectedEndpoint = tree.lastValue(named: "endpoint", in: expect).flatMap(tree.string)
                expectation.expectedOutcome = tree.lastValue(named: "outcome", in: expect).flatMap(tree.string)
                expectation.expectedForwardPath = tree.lastValue(named: "forwardPath", in: expect).flatMap(tree.string)
                if let ruleNode = tree.lastValue(named: "rule", in: expect) {
                    if let name = tree.string(ruleNode) {
                        expectation.expectedRule = .name(name)
                    } else if let index = tree.integer(ruleNode) {
                        expectation.expectedRule = .index(index)
                    }
                }
            }
            expectations.append(expectation)
        }
        return .success(expectations)
    }

    private static func location(_ offset: Int, _ source: SourceText) -> String {
        let position = source.lineIndex.position(of: offset, in: .utf16)
        return "\(position.line + 1):\(position.character + 1)"
    }
}
