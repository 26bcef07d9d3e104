import ArgumentParser
import WireJSON

/// One command as the argument parser describes it: the tool-info JSON behind its
/// documented `--experimental-dump-help` flag, which is also what swift-argument-parser's
/// own `generate-manual` plugin reads. The manual page is written from this, so it can
/// never list an option that `--help` does not.
struct CommandDescription: Sendable, Equatable {
    /// The command's words, from the tool's name down: `["diddy-mesh", "kv", "list"]`.
    var path: [String]
    var abstract: String
    var discussion: String
    var arguments: [ArgumentDescription]
    var subcommands: [CommandDescription]

    /// The command line as typed: `diddy-mesh kv list`.
    var name: String { path.joined(separator: " ") }

    /// `command` and every command below it, depth first, in declaration order.
    var all: [CommandDescription] { [self] + subcommands.flatMap(\.all) }

    /// The description of `DiddyMeshCommand`, nil when the parser's output cannot be read
    /// (which would be a bug in this file, not a user's doing).
    static func tool() -> CommandDescription? {
        let json: String
        do {
            _ = try DiddyMeshCommand.parseAsRoot(["--experimental-dump-help"])
            return nil
        } catch {
            json = DiddyMeshCommand.fullMessage(for: error)
        }
        guard case .success(let value) = WireJSON.parse(json), let command = value["command"] else { return nil }
        return CommandDescription(command, parents: [])
    }

    /// Reads one `CommandInfoV0` object; commands the parser hides (`shouldDisplay` false)
    /// are left out, as `--help` leaves them out.
    init?(_ value: JSONValue, parents: [String]) {
        guard let name = value["commandName"]?.stringValue else { return nil }
        path = parents + [name]
        abstract = value["abstract"]?.stringValue ?? ""
        discussion = value["discussion"]?.stringValue ?? ""
        arguments = (value["arguments"]?.arrayValue ?? []).compactMap(ArgumentDescription.init)
            .filter(\.shown)
        let path = path
        subcommands = (value["subcommands"]?.arrayValue ?? [])
            .filter { $0["shouldDisplay"]?.boolValue ?? true }
            .compactMap { CommandDescription($0, parents: path) }
    }
}

/// One argument, option or flag of a ``CommandDescription``.
struct ArgumentDescription: Sendable, Equatable {
    enum Kind: String, Sendable {
        case positional, option, flag
    }

    var kind: Kind
    /// The spellings, long ones first: `--format`, `-h`.
    var names: [String]
    /// The placeholder of the value: `format`, `paths`.
    var valueName: String
    var isOptional: Bool
    var isRepeating: Bool
    var defaultValue: String?
    /// The values it accepts, when it takes one of a list.
    var values: [String]
    var help: String
    var shown = true

    /// Reads one `ArgumentInfoV0` object.
    init?(_ value: JSONValue) {
        guard let kind = value["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) else { return nil }
        self.kind = kind
        let spelled = (value["names"]?.arrayValue ?? []).compactMap { name -> String? in
            guard let text = name["name"]?.stringValue else { return nil }
            return name["kind"]?.stringValue == "long" ? "--" + text : "-" + text
        }
        names = spelled.filter { $0.hasPrefix("--") } + spelled.filter { !$0.hasPrefix("--") }
        valueName = value["valueName"]?.stringValue ?? value["preferredName"]?["name"]?.stringValue ?? "value"
        isOptional = value["isOptional"]?.boolValue ?? true
        isRepeating = value["isRepeating"]?.boolValue ?? false
        defaultValue = value["defaultValue"]?.stringValue
        let listed = value["completionKind"]?["list"]?["values"]?.arrayValue ?? []
        values = (value["allValues"]?.arrayValue ?? listed).compactMap(\.stringValue)
        help = value["abstract"]?.stringValue ?? ""
        shown = value["shouldDisplay"]?.boolValue ?? true
    }
}
