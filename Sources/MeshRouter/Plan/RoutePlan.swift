import MeshConfig
import MeshSyntax

/// A config compiled for the edge router (docs/edge.md, "The route plan"): the routing part
/// of its model (``MeshConfig/routingPart``), the router compiled from it, and what
/// `diddy-mesh check` found in it, in a binary form. `diddy-mesh config plan` writes one and
/// `config push` stores one beside the config; the edge router reads its router from it, so
/// that the module a Worker deploys carries no JSONC parser, schema, checks or rule compiler.
///
/// The form: the magic bytes ``magic`` (a NUL first, so no JSON text and no request is
/// taken for a plan), the format version, the config's sha256 as text, the error and
/// warning counts and the first errors, the model (``MeshConfig/writeRouting(into:)``),
/// then the compiled router: its route table (each rule's path program and trie node, the
/// trie's edges) and its decision plan (each rule's target, the settings in force).
public struct RoutePlan: Sendable, Equatable {
    /// The first bytes of every plan.
    public static let magic: [UInt8] = [0x00] + Array("DMPLAN".utf8)
    /// The format this build writes and reads; a plan of another is refused, not guessed at.
    /// (Format 1, of the first build that wrote plans, wrote each range's start whole; 2 wrote
    /// it relative to the range before: a sixth less plan, a fifth of it gzipped; 3 adds the
    /// compiled router, so the edge module no longer compiles one.)
    public static let formatVersion = 3
    /// At most this many errors are described; ``errors`` counts them all.
    public static let describedErrors = 20

    /// One error of the config, positioned as `diddy-mesh check` positions it: 1-based line
    /// and column, the column in UTF-16 code units.
    public struct Finding: Sendable, Hashable {
        public var code: String
        public var message: String
        public var line: Int
        public var column: Int

        public init(code: String, message: String, line: Int, column: Int) {
            self.code = code
            self.message = message
            self.line = line
            self.column = column
        }
    }

    /// The routing part of the config's model.
    public var config: MeshConfig { router.config }
    /// The sha256 of the config's text in lower-case hex, as `config push` stores it in
    /// `mesh:config`'s metadata; empty when the compiler was not told.
    public var configSHA256: String
    /// The errors `diddy-mesh check` counts (after `lint` levels and suppressions).
    public var errors: Int
    /// The warnings it counts.
    public var warnings: Int
    /// The first ``describedErrors`` errors.
    public var findings: [Finding]
    /// The router over ``config``: compiled from it when the plan is made, read as compiled
    /// when it is decoded. It starts with fresh state and shares it with every copy of the
    /// plan; ``Router/withState(_:)`` gives it other state without compiling anything.
    public let router: Router

    /// A plan with these parts; `config` is cut to its routing part and compiled.
    public init(config: MeshConfig, configSHA256: String, errors: Int, warnings: Int, findings: [Finding]) {
        self.init(
            router: Router(config: config.routingPart), configSHA256: configSHA256, errors: errors,
            warnings: warnings, findings: findings)
    }

    /// A plan of a router compiled already (as a plan's bytes read back), so that loading one
    /// neither copies every service again nor compiles anything.
    private init(router: Router, configSHA256: String, errors: Int, warnings: Int, findings: [Finding]) {
        self.router = router
        self.configSHA256 = configSHA256
        self.errors = errors
        self.warnings = warnings
        self.findings = findings
    }

    /// Plans are equal when their models, digests and findings are; the router is the one
    /// compiled from the model (`RoutePlanTests` holds a plan read back to that).
    public static func == (first: RoutePlan, second: RoutePlan) -> Bool {
        first.config == second.config && first.configSHA256 == second.configSHA256 && first.errors == second.errors
            && first.warnings == second.warnings && first.findings == second.findings
    }

    /// The plan of an analysed config: its model's routing part and the counts and first
    /// errors of `analysis.diagnostics`, the findings `check` prints.
    public init(analysis: ConfigAnalysis, configSHA256: String) {
        var errors = 0
        var warnings = 0
        var findings: [Finding] = []
        for diagnostic in analysis.diagnostics {
            switch diagnostic.severity {
            case .error:
                errors += 1
                guard findings.count < Self.describedErrors else { continue }
                let position = analysis.source.lineIndex.position(of: diagnostic.range.start, in: .utf16)
                findings.append(
                    Finding(
                        code: diagnostic.code.rawValue, message: diagnostic.message, line: position.line + 1,
                        column: position.character + 1))
            case .warning:
                warnings += 1
            default:
                break
            }
        }
        self.init(
            config: analysis.document.config, configSHA256: configSHA256, errors: errors, warnings: warnings,
            findings: findings)
    }

    /// Whether `bytes` start as a plan does (of any format version).
    public static func looksLikePlan(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: magic)
    }

    /// The plan's bytes.
    public func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.raw(Self.magic)
        writer.count(Self.formatVersion)
        writer.string(configSHA256)
        writer.count(errors)
        writer.count(warnings)
        writer.array(findings) { writer, finding in
            writer.string(finding.code)
            writer.string(finding.message)
            writer.count(finding.line)
            writer.count(finding.column)
        }
        config.writeRouting(into: &writer)
        router.table.write(into: &writer)
        router.plan.write(into: &writer)
        return writer.bytes
    }

    /// Reads a plan's bytes, or says why they are not a plan this build reads: another
    /// format version, a config's text instead of its plan, damaged or trailing bytes.
    public static func decode(_ bytes: [UInt8]) -> Result<RoutePlan, PlanError> {
        guard looksLikePlan(bytes) else {
            let first = bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "/") {
                return .failure(
                    PlanError(
                        "this is a config's text, not its route plan: compile it with `diddy-mesh config plan` "
                            + "(`config push` stores both)"))
            }
            return .failure(PlanError("these bytes are not a route plan (it starts with \\0DMPLAN)"))
        }
        var reader = BinaryReader(bytes, at: magic.count)
        let version = reader.count()
        guard reader.failure != nil || version == formatVersion else {
            return .failure(
                PlanError(
                    "the route plan is format \(version) and this router reads format \(formatVersion): "
                        + "compile it with the diddy-mesh of the same release"))
        }
        let digest = reader.string()
        let errors = reader.count()
        let warnings = reader.count()
        let findings = reader.array { reader in
            Finding(code: reader.string(), message: reader.string(), line: reader.count(), column: reader.count())
        }
        let config = MeshConfig.readRouting(from: &reader)
        let table = RouteTable.read(from: &reader, rules: config.routing.rules)
        let plan = DecisionPlan.read(from: &reader, config: config)
        if reader.failure == nil, !reader.isAtEnd {
            reader.fail("\(reader.remaining) bytes follow the plan's end", at: reader.offset)
        }
        if let failure = reader.failure { return .failure(PlanError("the route plan is damaged: \(failure)")) }
        let router = Router(config: config, table: table, plan: plan, state: RouterState())
        return .success(
            RoutePlan(router: router, configSHA256: digest, errors: errors, warnings: warnings, findings: findings))
    }
}

/// Why bytes could not be loaded as a ``RoutePlan``: a sentence for the user.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
