import Foundation
import MeshConfig
import MeshRegistry
import MeshSyntax

/// `textDocument/documentLink`: what a config names that can be opened: `$schema` (a URL,
/// or a path beside the config), each endpoint's `http(s)` URL, and the wrangler config
/// that declares `mesh.registry.binding`.
enum DocumentLinks {
    /// One link: the bytes to underline and where they lead.
    struct Link: Sendable, Equatable {
        var range: ByteRange
        var target: String
        var tooltip: String
    }

    /// The links of `analysis`, whose document is `uri`. Finding the wrangler config reads
    /// the folders above the file as `check --live` does (size-capped, no FIFOs); nothing
    /// else touches the disk.
    static func links(in analysis: DocumentAnalysis, uri: String) -> [Link] {
        var links: [Link] = []
        let tree = analysis.tree
        if let root = tree.rootValue, let schema = tree.lastValue(named: "$schema", in: root),
            let value = tree.string(schema), let target = schemaTarget(value, documentURI: uri)
        {
            links.append(Link(range: inner(tree.range(schema)), target: target, tooltip: "Open the JSON Schema"))
        }
        for service in analysis.config.services {
            for endpoint in service.endpoints ?? [] {
                guard let url = endpoint.url, case .success(let parsed) = EndpointURL.parse(url.value),
                    parsed.scheme == "https" || parsed.scheme == "http"
                else { continue }
                links.append(
                    Link(
                        range: inner(url.range), target: url.value, tooltip: "Open endpoint of '\(service.name.value)'")
                )
            }
        }
        if let binding = analysis.config.mesh.registry?.binding, let path = DocumentURI.filePath(uri),
            case .success(let wrangler?) = WranglerConfig.find(
                startingAt: URL(fileURLWithPath: path).deletingLastPathComponent().path),
            wrangler.kvNamespaces.contains(where: { $0.binding == binding.value })
        {
            links.append(
                Link(
                    range: inner(binding.range), target: URL(fileURLWithPath: wrangler.path).absoluteString,
                    tooltip: "Open the wrangler config that declares '\(binding.value)'"))
        }
        return links.sorted { $0.range.start < $1.range.start }
    }

    /// Where `$schema` leads: a URL as written; a relative path resolved beside the
    /// document, when the document is a file; nil for anything else.
    static func schemaTarget(_ value: String, documentURI: String) -> String? {
        let lowered = value.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") { return value }
        guard !value.isEmpty, !value.contains(":"), let path = DocumentURI.filePath(documentURI) else { return nil }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let resolved = value.hasPrefix("/") ? URL(fileURLWithPath: value) : folder.appendingPathComponent(value)
        return resolved.standardizedFileURL.absoluteString
    }

    /// A string's range without its quotes, so the underline covers the text.
    private static func inner(_ range: ByteRange) -> ByteRange {
        range.end - range.start >= 2 ? ByteRange(start: range.start + 1, end: range.end - 1) : range
    }
}
