/// The catalogue of stable diagnostic codes (docs/diagnostics.md).
///
/// Codes never change meaning once released; new findings get new codes. The
/// catalogue lives beside the parser because every layer, from syntax to live
/// registry checks, reports through it and SARIF output lists it whole.
public enum DiagnosticCode: String, Sendable, Hashable, CaseIterable, Comparable {
    case syntaxError = "DM101"
    case duplicateKey = "DM102"
    case trailingComma = "DM103"
    case nestingTooDeep = "DM104"
    case unknownKey = "DM201"
    case wrongType = "DM202"
    case valueOutOfRange = "DM203"
    case missingRequiredKey = "DM204"
    case invalidServiceName = "DM205"
    case unsupportedVersion = "DM206"
    case undefinedService = "DM301"
    case unusedService = "DM302"
    case invalidPathPattern = "DM401"
    case shadowedRule = "DM402"
    case duplicateRule = "DM403"
    case invalidSplit = "DM404"
    case invalidStripPrefix = "DM405"
    case serviceAndSplit = "DM406"
    case retriesOnNonIdempotent = "DM407"
    case invalidEndpointURL = "DM501"
    case insecureEndpoint = "DM502"
    case duplicateEndpoint = "DM503"
    case geographicWithoutLocations = "DM504"
    case weightedWithoutWeights = "DM505"
    case inconsistentPolicy = "DM506"
    case unknownGeoCode = "DM507"
    case noEndpointsRegistered = "DM601"
    case allEndpointsUnhealthy = "DM602"
    case registryUnavailable = "DM603"
    case deployedConfigDiffers = "DM604"
    case unusedSuppression = "DM701"
    case suppressionWithoutReason = "DM702"
    case invalidSuppression = "DM703"

    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The severity a finding of this code has unless the dialect says otherwise.
    public var defaultSeverity: Severity {
        switch self {
        case .trailingComma, .unusedService, .weightedWithoutWeights, .unusedSuppression, .suppressionWithoutReason:
            .hint
        case .unknownKey, .shadowedRule, .duplicateRule, .retriesOnNonIdempotent, .insecureEndpoint,
            .duplicateEndpoint, .geographicWithoutLocations, .noEndpointsRegistered, .allEndpointsUnhealthy,
            .invalidSuppression:
            .warning
        case .registryUnavailable, .deployedConfigDiffers: .information
        default: .error
        }
    }

    /// A short PascalCase name (SARIF's `rule.name`): the case name with its first letter
    /// capitalised, spelled out because Embedded Swift (the wasm build) has no reflection.
    public var name: String {
        switch self {
        case .syntaxError: "SyntaxError"
        case .duplicateKey: "DuplicateKey"
        case .trailingComma: "TrailingComma"
        case .nestingTooDeep: "NestingTooDeep"
        case .unknownKey: "UnknownKey"
        case .wrongType: "WrongType"
        case .valueOutOfRange: "ValueOutOfRange"
        case .missingRequiredKey: "MissingRequiredKey"
        case .invalidServiceName: "InvalidServiceName"
        case .unsupportedVersion: "UnsupportedVersion"
        case .undefinedService: "UndefinedService"
        case .unusedService: "UnusedService"
        case .invalidPathPattern: "InvalidPathPattern"
        case .shadowedRule: "ShadowedRule"
        case .duplicateRule: "DuplicateRule"
        case .invalidSplit: "InvalidSplit"
        case .invalidStripPrefix: "InvalidStripPrefix"
        case .serviceAndSplit: "ServiceAndSplit"
        case .retriesOnNonIdempotent: "RetriesOnNonIdempotent"
        case .invalidEndpointURL: "InvalidEndpointURL"
        case .insecureEndpoint: "InsecureEndpoint"
        case .duplicateEndpoint: "DuplicateEndpoint"
        case .geographicWithoutLocations: "GeographicWithoutLocations"
        case .weightedWithoutWeights: "WeightedWithoutWeights"
        case .inconsistentPolicy: "InconsistentPolicy"
        case .unknownGeoCode: "UnknownGeoCode"
        case .noEndpointsRegistered: "NoEndpointsRegistered"
        case .allEndpointsUnhealthy: "AllEndpointsUnhealthy"
        case .registryUnavailable: "RegistryUnavailable"
        case .deployedConfigDiffers: "DeployedConfigDiffers"
        case .unusedSuppression: "UnusedSuppression"
        case .suppressionWithoutReason: "SuppressionWithoutReason"
        case .invalidSuppression: "InvalidSuppression"
        }
    }

    /// One sentence saying when the code is reported.
    public var summary: String {
        switch self {
        case .syntaxError:
            "Syntax error: an unexpected character or token, an unterminated string or comment, a missing separator, "
                + "an invalid number or escape, or an unexpected end of input."
        case .duplicateKey: "An object has the same key twice; the later value wins."
        case .trailingComma: "A trailing comma in a .json file."
        case .nestingTooDeep: "Arrays and objects are nested deeper than the limit."
        case .unknownKey: "A key the config format does not define."
        case .wrongType: "A value has the wrong type."
        case .valueOutOfRange: "A value is out of range or not one of the allowed values."
        case .missingRequiredKey: "A required key is missing."
        case .invalidServiceName: "A service name is not a valid Workers script name."
        case .unsupportedVersion: "The config format version is not supported."
        case .undefinedService: "A reference names a service that is not defined."
        case .unusedService: "No rule, split, default or fallback routes to this service."
        case .invalidPathPattern: "A rule's path pattern is invalid."
        case .shadowedRule: "A rule can never match because an earlier rule matches every request it matches."
        case .duplicateRule: "Two rules are identical in all matchers."
        case .invalidSplit: "A traffic split is invalid (weights not positive, a service listed twice, or empty)."
        case .invalidStripPrefix: "stripPrefix is not a prefix of the rule's path pattern."
        case .serviceAndSplit: "A rule has both or neither of service and split."
        case .retriesOnNonIdempotent: "Retries on a rule that only matches non-idempotent methods."
        case .invalidEndpointURL: "An endpoint URL is not an absolute URL with a host."
        case .insecureEndpoint: "An endpoint uses http:// instead of https://."
        case .duplicateEndpoint: "A service lists the same endpoint twice."
        case .geographicWithoutLocations:
            "The geographic strategy is used but no endpoint has a region, continent or location."
        case .weightedWithoutWeights: "The weighted strategy is used but no endpoint has a weight."
        case .inconsistentPolicy: "Policy values contradict each other."
        case .unknownGeoCode: "An unknown region, continent or country code."
        case .noEndpointsRegistered: "Live: a service has no static endpoints and none are registered."
        case .allEndpointsUnhealthy: "Live: every endpoint of a routed service is unhealthy or has an open circuit."
        case .registryUnavailable: "Live: the registry is unreachable or not configured."
        case .deployedConfigDiffers: "Live: the config deployed in the registry differs from this file."
        case .unusedSuppression: "A diddy-mesh-ignore comment names a code that nothing on its line reports."
        case .suppressionWithoutReason: "A diddy-mesh-ignore comment gives no reason after a colon."
        case .invalidSuppression: "A diddy-mesh-ignore comment names no code, or a code that cannot be suppressed."
        }
    }

    /// Where the code is documented (used for LSP `codeDescription` and SARIF `helpUri`).
    public var documentationURL: String {
        "https://github.com/diddy-mesh/diddy-mesh/blob/main/docs/diagnostics.md#\(rawValue.lowercased())"
    }
}
