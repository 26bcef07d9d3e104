import MeshSyntax

/// The config reference page, `docs/guide/config-reference.md`, rendered from ``MeshSchema``
/// (the description that also drives validation, completion, hover and the JSON Schema), so
/// the page cannot drift from what the tools accept.
///
/// One section per object of the format, in document order, each a table of its keys with
/// type, default and documentation; an object used in several places (the retry policy is
/// allowed in `mesh.defaults`, in a service and in a rule) is described once and lists where
/// else it appears. Links to diagnostics are relative to `docs/guide/`.
public enum SchemaReference {
    /// The whole page, ending in a newline.
    public static func markdown(root: SchemaNode = MeshSchema.root) -> String {
        let outline = ReferenceOutline(root: root)
        var lines = introduction
        lines.append("## Contents")
        lines.append("")
        for section in outline.sections {
            lines.append("- [\(section.heading)](#\(section.anchor))")
        }
        if !outline.longLists.isEmpty {
            lines.append("- [Allowed values](#\(outline.allowedValuesAnchor))")
        }
        for section in outline.sections {
            lines.append("")
            lines += render(section, in: outline)
        }
        if !outline.longLists.isEmpty {
            lines.append("")
            lines.append("## Allowed values")
            for list in outline.longLists {
                lines.append("")
                lines.append("### \(list.heading)")
                lines.append("")
                lines.append("\(list.node.doc) \(list.values.count) values:")
                lines.append("")
                lines.append(list.values.map { "`\($0)`" }.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The page's opening: what it is, where it comes from and how to read the tables.
    static let introduction = [
        "# Config reference",
        "",
        "<!-- Generated from Sources/MeshConfig/MeshSchema.swift by `diddy-mesh schema --format markdown`.",
        "     Do not edit by hand: run `make docs`. A test fails when this file is stale. -->",
        "",
        "Every key of a Diddy-Mesh config (`diddy-mesh.jsonc`, `diddy-mesh.json`, `*.mesh.json`,",
        "`*.mesh.jsonc`), one section per object. This page, the checks of `diddy-mesh check`, the",
        "language server's completion and hover, and `schemas/diddy-mesh.schema.json` all come from",
        "one schema description, so they say the same thing.",
        "",
        "How to read it:",
        "",
        "- In a path, `<service-name>` stands for any key of a map and `[]` for any item of an array:",
        "  `routing.rules[].split[]` is a branch of the split of any rule.",
        "- A key marked **required** must be present ([DM204](../diagnostics.md#dm204)). An unknown",
        "  key is [DM201](../diagnostics.md#dm201), a value of the wrong type [DM202](../diagnostics.md#dm202),",
        "  and a value out of range or not allowed [DM203](../diagnostics.md#dm203) unless its row names",
        "  another code.",
        "- The type is what hover shows: `integer 1..30000`, `string (one of 6)`, `A | B` for a key",
        "  that takes either form.",
        "",
    ]

    private static func render(_ section: ReferenceOutline.Section, in outline: ReferenceOutline) -> [String] {
        var lines = ["## \(section.heading)", "", section.node.doc]
        if section.paths.count > 1 {
            lines.append("")
            lines.append(
                "Used at " + section.paths.map { "`\(ReferenceOutline.display($0))`" }.joined(separator: ", ") + ".")
        }
        lines.append("")
        lines.append("| key | type | default | description |")
        lines.append("|---|---|---|---|")
        for property in section.node.properties {
            let key = "`\(property.name)`" + (property.required ? " **required**" : "")
            let type = "`\(SchemaTypeText.describe(property.node))`"
            let defaultValue = property.node.defaultValue.map { "`\($0)`" } ?? ""
            let cells = [key, type, defaultValue, description(of: property.node, in: outline)]
            lines.append("| " + cells.map(cell).joined(separator: " | ") + " |")
        }
        return lines
    }

    /// The description cell: the node's documentation, then what the type alone does not
    /// say (the allowed values, the key rule of a map, a diagnostic other than DM203, and
    /// where the object form is described).
    private static func description(of node: SchemaNode, in outline: ReferenceOutline) -> String {
        var parts = [node.doc]
        if case .map(.some, let keyCode, let keyWhat, _) = node.kind {
            parts.append("A bad \(keyWhat) is \(codeLink(keyCode)).")
        }
        if case .array(let items, _) = node.kind, case .string(_, let pattern?) = items.kind {
            parts.append("Each item: \(pattern.expectation).")
        }
        let allowed = ReferenceOutline.allowedValues(of: node)
        if let list = outline.longList(for: node) {
            parts.append("One of \(list.values.count) codes: see [\(list.heading)](#\(list.anchor)).")
        } else if !allowed.isEmpty {
            parts.append("One of " + allowed.map { "`\($0)`" }.joined(separator: ", ") + ".")
        }
        let codes = ReferenceOutline.specificValueCodes(of: node)
        if !codes.isEmpty {
            parts.append("A wrong value is " + codes.map(codeLink).joined(separator: " or ") + ".")
        }
        if let target = outline.section(describing: node) {
            parts.append("See [\(target.heading)](#\(target.anchor)).")
        }
        return parts.joined(separator: " ")
    }

    private static func codeLink(_ code: DiagnosticCode) -> String {
        "[\(code.rawValue)](../diagnostics.md#\(code.rawValue.lowercased()))"
    }

    /// A table cell: one line, with the column separator escaped (GitHub reads `\|` as a
    /// literal bar, inside code spans too).
    private static func cell(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\n": escaped.append(" ")
            case "|": escaped.append("\\|")
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
