import Foundation
import MeshConfig
import MeshTestSupport
import Testing

/// `docs/guide/config-reference.md` is generated from the schema description
/// (`diddy-mesh schema --format markdown`, `make docs`): the committed page must be what the
/// generator prints today, and the generator must describe every key of the format.
@Suite("Config reference page")
struct ConfigReferenceTests {
    static let page = Paths.packageRoot.appendingPathComponent("docs/guide/config-reference.md")

    @Test("the committed page is what the generator prints (regenerate with `make docs`)")
    func committedPageIsCurrent() throws {
        let generated = SchemaReference.markdown()
        let data = try #require(
            FileManager.default.contents(atPath: Self.page.path),
            "docs/guide/config-reference.md is missing: create it with `make docs`")
        let committed = String(decoding: data, as: UTF8.self)
        #expect(
            committed == generated,
            """
            docs/guide/config-reference.md is stale: regenerate it with `make docs`
            \(Golden.diff(expected: committed, actual: generated, expectedName: "config-reference.md"))
            """)
    }

    @Test("every key of every object of the schema has a row in that object's section")
    func everyKeyHasARow() {
        let page = SchemaReference.markdown()
        let sections = Self.sections(of: page)
        var objects: [SchemaNode] = []
        Self.collectObjects(MeshSchema.root, into: &objects)
        #expect(objects.count > 15, "the walk found too few objects: \(objects.count)")
        for object in objects {
            let holders = sections.filter { _, body in body.hasPrefix(object.doc + "\n") }
            #expect(!holders.isEmpty, "no section describes the object '\(object.title)'")
            for (heading, body) in holders {
                for property in object.properties {
                    let row = "| `\(property.name)`" + (property.required ? " **required**" : "") + " | "
                    #expect(body.contains(row), "section \(heading) has no row for '\(property.name)'")
                }
            }
        }
    }

    @Test("every in-page link points at a heading of the page")
    func inPageLinksResolve() throws {
        let page = SchemaReference.markdown()
        let anchors = Set(
            page.split(separator: "\n").filter { $0.hasPrefix("#") }.map { line in
                String(line.drop { $0 == "#" }.dropFirst())
            }.map(Self.githubSlug))
        let links = try Regex(#"\]\(#([^)]+)\)"#)
        var count = 0
        for match in page.matches(of: links) {
            let target = String(match.output[1].substring ?? "")
            #expect(anchors.contains(target), "link to #\(target), which no heading has")
            count += 1
        }
        #expect(count > 20)
    }

    // MARK: Helpers

    /// The `## ` sections of `page`: heading text and the body after the blank line.
    static func sections(of page: String) -> [(heading: String, body: String)] {
        var result: [(String, String)] = []
        for chunk in page.components(separatedBy: "\n## ").dropFirst() {
            let lines = chunk.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
            guard lines.count == 3 else { continue }
            result.append((String(lines[0]), String(lines[2])))
        }
        return result
    }

    static func collectObjects(_ node: SchemaNode, into objects: inout [SchemaNode]) {
        var all: [SchemaNode] = []
        collectAll(node, into: &all)
        for candidate in all where !candidate.properties.isEmpty && !objects.contains(where: { $0 === candidate }) {
            objects.append(candidate)
        }
    }

    static func collectAll(_ node: SchemaNode, into nodes: inout [SchemaNode]) {
        nodes.append(node)
        switch node.kind {
        case .object(let properties): for property in properties { collectAll(property.node, into: &nodes) }
        case .map(_, _, _, let value): collectAll(value, into: &nodes)
        case .array(let items, _): collectAll(items, into: &nodes)
        case .anyOf(let alternatives): for alternative in alternatives { collectAll(alternative, into: &nodes) }
        default: break
        }
    }

    /// GitHub's heading anchor, written independently of the generator's.
    static func githubSlug(_ heading: String) -> String {
        String(
            heading.lowercased().unicodeScalars.compactMap { scalar -> Character? in
                if scalar == " " { return "-" }
                if scalar == "-" || scalar == "_" || CharacterSet.alphanumerics.contains(scalar) {
                    return Character(scalar)
                }
                return nil
            })
    }
}
