import MeshSyntax

/// What a config's `lint` section sets for one diagnostic code: `off`, or the severity its
/// findings get instead of the code's default (docs/guide/suppressions.md).
public enum LintLevel: String, Sendable, Hashable, CaseIterable {
    case off, error, warning, information, hint

    /// The severity findings get; nil for `off`, which drops them.
    public var severity: Severity? {
        switch self {
        case .off: nil
        case .error: .error
        case .warning: .warning
        case .information: .information
        case .hint: .hint
        }
    }
}

extension DiagnosticCode {
    /// Whether a `lint` setting or a `diddy-mesh-ignore` comment may silence or re-grade
    /// findings of this code. A syntax error (DM101) or nesting past the limit (DM104)
    /// means part of the file was not read at all, so hiding it would hide that every
    /// other finding is incomplete.
    public var isConfigurable: Bool { self != .syntaxError && self != .nestingTooDeep }

    /// Whether findings of this code come from the registry (DM6xx). They come and go with
    /// live health, so a suppression of one is never reported as unused.
    public var isLive: Bool {
        switch self {
        case .noEndpointsRegistered, .allEndpointsUnhealthy, .registryUnavailable, .deployedConfigDiffers: true
        default: false
        }
    }

    /// Whether findings of this code are about suppressions themselves (DM701-DM703),
    /// which a comment cannot suppress (the `lint` section can turn them off).
    public var isAboutSuppressions: Bool {
        self == .unusedSuppression || self == .suppressionWithoutReason || self == .invalidSuppression
    }
}
