import Testing

@testable import MeshCommands

/// The two `--check`s: the root's (`diddy-mesh --check` is `check`) and `fmt --check`.
@Suite("command line: --check before and after a subcommand")
struct CommandLineFlagTests {
    static let cases: [(arguments: [String], rewritten: [String], fmtCheck: Bool)] = [
        (["--check", "a.jsonc"], ["check", "a.jsonc"], false),
        (["fmt", "--check", "a.jsonc"], ["fmt", "a.jsonc"], true),
        (["fmt", "a.jsonc", "--check"], ["fmt", "a.jsonc"], true),
        (["fmt", "--", "--check"], ["fmt", "--", "--check"], false),
        (["check", "--check"], ["check", "--check"], false),
        (["fmt", "a.jsonc"], ["fmt", "a.jsonc"], false),
    ]

    @Test("each form reaches the command it names", arguments: cases)
    func rewrite(_ example: (arguments: [String], rewritten: [String], fmtCheck: Bool)) {
        let (rewritten, fmtCheck) = MeshCommandLine.takeFmtCheckFlag(
            MeshCommandLine.rewriteCheckFlag(example.arguments))
        #expect(rewritten == example.rewritten)
        #expect(fmtCheck == example.fmtCheck)
    }
}
