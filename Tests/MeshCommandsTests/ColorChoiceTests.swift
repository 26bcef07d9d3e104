import MeshCommands
import Testing

/// `--color auto|always|never` (docs/guide/ci.md, "Colors").
@Suite("--color")
struct ColorChoiceTests {
    @Test(
        "when output is colored: (choice, on a terminal, NO_COLOR, colored)",
        arguments: [
            (ColorChoice.auto, true, String?.none, true),
            (.auto, false, nil, false),
            (.auto, true, "1", false),
            // An empty NO_COLOR does not count.
            (.auto, true, "", true),
            // An explicit choice wins over both the terminal test and NO_COLOR.
            (.always, false, "1", true),
            (.always, true, nil, true),
            (.never, true, nil, false),
            (.never, false, nil, false),
        ])
    func colors(choice: ColorChoice, isTerminal: Bool, noColor: String?, colored: Bool) {
        let environment = noColor.map { ["NO_COLOR": $0] } ?? [:]
        #expect(choice.colors(isTerminal: isTerminal, environment: environment) == colored)
    }

    @Test("the option takes exactly auto, always and never")
    func values() {
        #expect(ColorChoice.allCases.map(\.rawValue) == ["auto", "always", "never"])
        #expect(ColorChoice(rawValue: "sometimes") == nil)
    }
}
