import MeshRouter

/// One test of a route expectations file (docs/guide/ci.md, "Routing expectations", in the spirit of Envoy's route
/// table
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
