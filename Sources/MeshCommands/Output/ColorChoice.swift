import ArgumentParser

/// The values of `--color`: when text output uses ANSI colors (docs/guide/ci.md, "Colors").
public enum ColorChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// Colors only when standard output is a terminal and `NO_COLOR` is not set.
    case auto
    /// Colors always, even into a pipe or a file, and even with `NO_COLOR` set.
    case always
    /// Never colors.
    case never

    /// Whether output is colored, given whether standard output is a terminal and the
    /// environment. `NO_COLOR` counts when it is set to anything but the empty string, and
    /// an explicit `always` overrides it: the user asked on this very command line
    /// (docs/guide/ci.md, "Colors").
    public func colors(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
