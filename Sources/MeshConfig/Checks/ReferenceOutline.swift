import MeshSyntax

/// The structure of the config reference: which objects get a section, under which path
/// and anchor, and which allowed-value lists are too long for a table cell.
///
/// Sections are found by walking the schema in document order. A node is identified by
/// object identity, so an object shared by several keys (`retries`, `loadBalancer`) gets
/// one section that lists every path where it is used.
struct ReferenceOutline {
    /// One object of the format and where it appears.
    struct Section {
        let node: SchemaNode
        /// Every path where the object appears (`""` is the top level).
        var paths: [String]
        /// The markdown heading text: the path of an object used in one place, the title
        /// of one used in several (`Retry policy`).
        var heading = ""
        /// The heading's anchor, as GitHub derives it.
        var anchor = ""
    }

    /// An allowed-value list longer than a table cell should hold (the country codes).
    struct LongList {
        let node: SchemaNode
        let values: [String]
        var heading = ""
        var anchor = ""
    }

    /// Lists longer than this go to the "Allowed values" appendix.
    static let inlineListLimit = 20

    private(set) var sections: [Section] = []
    private(set) var longLists: [LongList] = []
    private var sectionPositions: [ObjectIdentifier: Int] = [:]
    private var longListPositions: [ObjectIdentifier: Int] = [:]
    private var anchors = AnchorSet()
    /// The anchor of the "Allowed values" heading.
    let allowedValuesAnchor: String

    init(root: SchemaNode) {
        // The page's fixed headings come first so that generated ones never take their anchors.
        _ = anchors.add("Config reference")
        _ = anchors.add("Contents")
        allowedValuesAnchor = anchors.add("Allowed values")
        visit(root, path: "")
        // Headings wait for the whole walk: only then is it known which objects are shared.
        for position in sections.indices {
            let section = sections[position]
            let heading: String
            if section.paths == [""] {
                heading = "Top level"
            } else if section.paths.count == 1 {
                heading = "`\(section.paths[0])`"
            } else {
                heading = section.node.title.prefix(1).uppercased() + section.node.title.dropFirst()
            }
            sections[position].heading = heading
            sections[position].anchor = anchors.add(heading)
        }
        for position in longLists.indices {
            longLists[position].heading = "`\(longLists[position].node.title)`"
            longLists[position].anchor = anchors.add(longLists[position].heading)
        }
    }

    /// The section describing `node` itself or the object it holds (through arrays, maps
    /// and alternatives); nil for scalars.
    func section(describing node: SchemaNode) -> Section? {
        guard let object = Self.objectNode(in: node), let position = sectionPositions[ObjectIdentifier(object)] else {
            return nil
        }
        return sections[position]
    }

    /// The appendix entry for the values of `node` (or of its array items), if they are long.
    func longList(for node: SchemaNode) -> LongList? {
        guard let owner = Self.valueOwner(of: node), let position = longListPositions[ObjectIdentifier(owner)] else {
            return nil
        }
        return longLists[position]
    }

    /// `services.<service-name>` for a path, `top level` for the root.
    static func display(_ path: String) -> String {
        path.isEmpty ? "top level" : path
    }

    /// The values a key allows: its own (strings, string alternatives) or its array items'.
    static func allowedValues(of node: SchemaNode) -> [String] {
        valueOwner(of: node)?.allowedValues ?? []
    }

    /// The codes other than DM203 reported for a wrong value of `node` (or of its items).
    static func specificValueCodes(of node: SchemaNode) -> [DiagnosticCode] {
        var codes: [DiagnosticCode] = []
        var pending = [node]
        while let next = pending.popLast() {
            if next.valueCode != .valueOutOfRange, !codes.contains(next.valueCode) { codes.append(next.valueCode) }
            switch next.kind {
            case .array(let items, _): pending.append(items)
            case .anyOf(let alternatives): pending += alternatives
            default: break
            }
        }
        return codes.sorted()
    }

    // MARK: Walking the schema

    private mutating func visit(_ node: SchemaNode, path: String) {
        switch node.kind {
        case .object(let properties):
            let identity = ObjectIdentifier(node)
            if let position = sectionPositions[identity] {
                sections[position].paths.append(path)
            } else {
                sectionPositions[identity] = sections.count
                sections.append(Section(node: node, paths: [path]))
            }
            for property in properties {
                visit(property.node, path: path.isEmpty ? property.name : "\(path).\(property.name)")
            }
        case .map(_, _, let keyWhat, let value):
            visit(value, path: "\(path).<\(keyWhat.split(separator: " ").joined(separator: "-"))>")
        case .array(let items, _):
            visit(items, path: path + "[]")
        case .anyOf(let alternatives):
            for alternative in alternatives { visit(alternative, path: path) }
        case .string(let allowed?, _) where allowed.count > Self.inlineListLimit:
            let identity = ObjectIdentifier(node)
            guard longListPositions[identity] == nil else { return }
            longListPositions[identity] = longLists.count
            longLists.append(LongList(node: node, values: allowed))
        default:
            break
        }
    }

    /// The first object reached from `node` through arrays, maps and alternatives.
    static func objectNode(in node: SchemaNode) -> SchemaNode? {
        switch node.kind {
        case .object: node
        case .array(let items, _): objectNode(in: items)
        case .map(_, _, _, let value): objectNode(in: value)
        case .anyOf(let alternatives): alternatives.lazy.compactMap(objectNode(in:)).first
        default: nil
        }
    }

    /// The node whose allowed values a key lists: the key itself, or its array's items.
    private static func valueOwner(of node: SchemaNode) -> SchemaNode? {
        if !node.allowedValues.isEmpty { return node }
        if case .array(let items, _) = node.kind, !items.allowedValues.isEmpty { return items }
        return nil
    }
}

/// Heading anchors as GitHub derives them: lower case, only letters, digits, `-` and `_`
/// kept, spaces turned into `-`, and `-1`, `-2`, ... appended to repeats.
struct AnchorSet {
    private var used: Set<String> = []

    /// The anchor of a heading with `text`, now taken.
    mutating func add(_ text: String) -> String {
        let base = Self.slug(text)
        var candidate = base
        var suffix = 1
        while used.contains(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// GitHub's slug of a heading's text.
    static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        return slug
    }
}
