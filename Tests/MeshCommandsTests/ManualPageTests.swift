import Foundation
import Testing

@testable import MeshCommands

/// `diddy-mesh man`: the manual page written from the argument parser's description.
@Suite("manual page")
struct ManualPageTests {
    @Test(
        "roff text escapes backslashes and hyphens and guards a leading request character",
        arguments: [
            ("plain words", "plain words"),
            ("--fail-on", "\\-\\-fail\\-on"),
            ("C:\\mesh", "C:\\emesh"),
            (".TH injected", "\\&.TH injected"),
            ("'quoted", "\\&'quoted"),
            ("a.b 'c'", "a.b 'c'"),
        ])
    func escaping(raw: String, roff: String) {
        #expect(ManualPage.text(raw) == roff)
    }

    @Test("a macro argument is quoted, with its quotes escaped")
    func macroArgument() {
        #expect(ManualPage.argument("say \"hi\"") == "\"say \\(dqhi\\(dq\"")
    }

    @Test("the tool's description has every command, the --check form and the new commands")
    func description() throws {
        let tool = try #require(CommandDescription.tool())
        let names = Set(tool.all.map(\.name))
        for name in [
            "diddy-mesh check", "diddy-mesh route", "diddy-mesh kv list", "diddy-mesh kv put", "diddy-mesh config diff",
            "diddy-mesh health probe", "diddy-mesh completions", "diddy-mesh man", "diddy-mesh lsp",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(tool.arguments.contains { $0.names == ["--check"] && $0.kind == .flag })
        let check = try #require(tool.all.first { $0.name == "diddy-mesh check" })
        let color = try #require(check.arguments.first { $0.names == ["--color"] })
        #expect(color.values == ["auto", "always", "never"] && color.defaultValue == "auto")
        let format = try #require(check.arguments.first { $0.names == ["--format"] })
        #expect(format.values == ["text", "json", "sarif", "github"])
    }

    @Test("every command has a section and every option of a command is listed in it")
    func page() throws {
        let tool = try #require(CommandDescription.tool())
        let roff = ManualPage(tool: tool, version: "9.9.9", date: "2001-02-03", usage: ["diddy-mesh <subcommand>"]).roff
        #expect(roff.hasPrefix(".\\\""))
        #expect(roff.contains(".TH \"DIDDY\\-MESH\" 1 \"2001\\-02\\-03\" \"diddy\\-mesh 9.9.9\""))
        let sections = roff.components(separatedBy: "\n.SS ")
        for command in tool.all.dropFirst() {
            let section = try #require(sections.first { $0.hasPrefix(ManualPage.argument(command.name)) })
            for argument in command.arguments where !ManualPage.isCommon(argument) {
                let name = argument.names.first ?? argument.valueName
                #expect(section.contains(ManualPage.text(name)), "\(command.name) \(name)")
            }
        }
        // Every line that starts with a period is one of the macros the page uses.
        let macros: Set<String> = [".\\\"", ".TH", ".SH", ".SS", ".PP", ".TP", ".nf", ".fi"]
        for line in roff.split(separator: "\n") where line.hasPrefix(".") {
            #expect(macros.contains(String(line.split(separator: " ").first ?? "")), "\(line)")
        }
    }
}
