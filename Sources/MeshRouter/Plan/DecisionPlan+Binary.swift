import MeshConfig
import MeshSyntax

/// The decision plan in the route plan (docs/edge.md, "The route plan"): what each rule
/// targets and the settings in force, resolved once by the compiler, so that the edge router
/// reads its targets instead of resolving names and policies again. What the model holds
/// already (a service's name, endpoints and fallback, a rule's index) is not written twice.
/// The write and the read sit side by side, in the same order.
///
/// The read checks every position against what it indexes (a service, a target, a split's
/// branches), so that no damaged plan makes a decision index out of bounds.
extension DecisionPlan {
    /// Writes the plan of a router over `config`.
    func write(into writer: inout BinaryWriter) {
        writer.array(services) { writer, service in
            writer.optional(service.fallbackService) { $0.count($1) }
            Self.write(&writer, service.settings)
        }
        writer.array(targets) { writer, target in
            switch target {
            case .nothing:
                writer.count(0)
            case .service(let service):
                writer.count(1)
                Self.write(&writer, service)
            case .split(let split, let branches):
                writer.count(2)
                writer.array(split.branches) { writer, branch in
                    writer.string(branch.service)
                    writer.double(branch.weight)
                    writer.double(branch.probability)
                }
                writer.optional(split.stickyBy) { $0.string($1) }
                switch split.sticky {
                case .unsupported: writer.count(0)
                case .header(let name):
                    writer.count(1)
                    writer.string(name)
                case .cookie(let name):
                    writer.count(2)
                    writer.string(name)
                }
                for branch in branches { Self.write(&writer, branch) }
            }
        }
        writer.array(rules) { $0.count($1.target) }
        writer.optional(defaultTarget, Self.write)
        writer.array(readHeaders) { $0.string($1) }
    }

    /// Reads the plan of a router over `config` (a plan's model) whose table has one
    /// compiled rule per `config.routing.rules` entry.
    static func read(from reader: inout BinaryReader, config: MeshConfig) -> DecisionPlan {
        let serviceCount = config.services.count
        var start = reader.offset
        if reader.count() != serviceCount {
            reader.fail("the decision plan does not have the model's \(serviceCount) services", at: start)
        }
        var services: [ServicePlan] = []
        services.reserveCapacity(serviceCount)
        for service in config.services {
            let fallbackService = reader.optional { $0.index(below: serviceCount) }
            let name = service.name.value
            services.append(
                ServicePlan(
                    name: name, endpoints: service.endpoints.map { ServiceEndpoints(service: name, endpoints: $0) },
                    fallback: service.fallback.map(EndpointSelection.trace(of:)), fallbackService: fallbackService,
                    settings: settings(&reader)))
        }
        let targets = reader.array { reader -> RuleTarget in
            switch reader.count(limit: 2) {
            case 1:
                return .service(target(&reader, serviceCount: serviceCount))
            case 2:
                let branches = reader.array { reader in
                    SplitBranchTrace(service: reader.string(), weight: reader.double(), probability: reader.double())
                }
                let stickyBy = reader.optional { $0.string() }
                let sticky: SplitSelection.StickySource
                switch reader.count(limit: 2) {
                case 1: sticky = .header(reader.string())
                case 2: sticky = .cookie(reader.string())
                default: sticky = .unsupported
                }
                // `decide` indexes the branches' targets by branch: one each, always.
                var branchTargets: [ServiceTarget] = []
                branchTargets.reserveCapacity(branches.count)
                for _ in branches { branchTargets.append(target(&reader, serviceCount: serviceCount)) }
                return .split(PreparedSplit(branches: branches, stickyBy: stickyBy, sticky: sticky), branchTargets)
            default:
                return .nothing
            }
        }
        let rules = config.routing.rules
        start = reader.offset
        if reader.count() != rules.count {
            reader.fail("the decision plan does not have the model's \(rules.count) rules", at: start)
        }
        var rulePlans: [RulePlan] = []
        rulePlans.reserveCapacity(rules.count)
        for position in rules.indices {
            rulePlans.append(RulePlan(index: rules[position].index, target: reader.index(below: targets.count)))
        }
        let defaultTarget = reader.optional { target(&$0, serviceCount: serviceCount) }
        let readHeaders = reader.array { $0.string() }
        return DecisionPlan(
            services: services, rules: rulePlans, targets: targets, defaultTarget: defaultTarget,
            readHeaders: readHeaders)
    }

    private static func write(_ writer: inout BinaryWriter, _ target: ServiceTarget) {
        writer.string(target.name)
        writer.optional(target.service) { $0.count($1) }
        write(&writer, target.settings)
    }

    private static func target(_ reader: inout BinaryReader, serviceCount: Int) -> ServiceTarget {
        ServiceTarget(
            name: reader.string(), service: reader.optional { $0.index(below: serviceCount) },
            settings: settings(&reader))
    }

    private static func write(_ writer: inout BinaryWriter, _ settings: BalancerSettings) {
        writer.string(settings.strategy.rawValue)
        writer.string(settings.metric)
        writer.optional(settings.seed) { $0.unsigned($1) }
    }

    private static func settings(_ reader: inout BinaryReader) -> BalancerSettings {
        let start = reader.offset
        let name = reader.string()
        let strategy = reader.strategy(named: name, readAt: start)
        return BalancerSettings(
            strategy: strategy ?? .roundRobin, metric: reader.string(), seed: reader.optional { $0.unsigned() })
    }
}

extension BinaryReader {
    /// A position in a collection of `count` elements; fails when there is none.
    mutating func index(below count: Int) -> Int {
        let start = offset
        let value = self.count()
        guard value < count else {
            fail("the position \(value) is past the \(count) it indexes", at: start)
            return 0
        }
        return value
    }
}
