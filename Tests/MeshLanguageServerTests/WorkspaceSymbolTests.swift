import Foundation
import MeshRegistry
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A workspace folder in a fresh temporary directory, removed by `remove()`.
private struct Workspace {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` at `relative` (folders created as needed); the file's path.
    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let file = path + "/" + relative
        try? FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A config with services `names` and one rule per service, named `r-<service>`.
private func config(_ names: [String], schema: String? = nil) -> String {
    let services = names.map { "\"\($0)\": {\"endpoints\": [\"https://\($0).example\"]}" }
    let rules = names.map { "{\"name\": \"r-\($0)\", \"path\": \"/\($0)/*\", \"service\": \"\($0)\"}" }
    let head = schema.map { "\"$schema\": \"\($0)\", " } ?? ""
    return "{\(head)\"version\": 1, \"services\": {\(services.joined(separator: ", "))}, "
        + "\"routing\": {\"rules\": [\(rules.joined(separator: ", "))]}}"
}

/// `workspace/symbol` for `query` with `fixture`'s open document and `folders`.
private func query(
    _ query: String, _ fixture: Fixture, folders: [String], index: WorkspaceSymbolIndex = WorkspaceSymbolIndex()
) async -> [JSONValue] {
    var context = fixture.context
    context.workspaceFolders = folders
    context.workspaceSymbols = index
    let result = try? await WorkspaceSymbolHandler.handle(["query": .string(query)], context: context)
    return result?.arrayValue ?? []
}

/// `name (container) file` of each symbol, the file by its last path component.
private func render(_ symbols: [JSONValue]) -> [String] {
    symbols.map { symbol in
        let uri = symbol["location"]?["uri"]?.stringValue ?? "?"
        let file = uri.split(separator: "/").last.map(String.init) ?? uri
        return "\(symbol["name"]?.stringValue ?? "?") (\(symbol["containerName"]?.stringValue ?? "?")) \(file)"
    }
}

@Suite("workspace symbols")
struct WorkspaceSymbolTests {
    @Test(
        "the query matches a subsequence of the name, ignoring case",
        arguments: [
            ("", "user-service", true), ("usv", "user-service", true), ("USER", "user-service", true),
            ("user service", "user-service", true), ("svu", "user-service", false), ("userz", "user-service", false),
            ("/ord*", "/orders/*", true), ("x", "", false), ("", "", true),
        ])
    func subsequence(query: String, name: String, matches: Bool) {
        #expect(SymbolQuery(query).matches(name) == matches)
    }

    @Test(
        "services and rules of open documents and of workspace configs that are not open",
        arguments: [
            (
                "",
                [
                    "user-service (services) mesh.jsonc", "orders (services) mesh.jsonc", "users (routing) mesh.jsonc",
                    "/orders/* (routing) mesh.jsonc", "billing (services) a.mesh.json",
                    "r-billing (routing) a.mesh.json",
                    "ledger (services) diddy-mesh.jsonc", "r-ledger (routing) diddy-mesh.jsonc",
                    "audit (services) schema.json", "r-audit (routing) schema.json",
                ]
            ),
            ("bill", ["billing (services) a.mesh.json", "r-billing (routing) a.mesh.json"]),
            ("LEDG", ["ledger (services) diddy-mesh.jsonc", "r-ledger (routing) diddy-mesh.jsonc"]),
            ("ord", ["orders (services) mesh.jsonc", "/orders/* (routing) mesh.jsonc"]),
            ("zzz", []),
        ])
    func openAndWorkspace(text: String, expected: [String]) async {
        let workspace = Workspace()
        defer { workspace.remove() }
        workspace.write("a.mesh.json", config(["billing"]))
        workspace.write("nested/deeper/diddy-mesh.jsonc", config(["ledger"]))
        workspace.write("schema.json", config(["audit"], schema: "../schemas/diddy-mesh.schema.json"))
        // Not configs: another schema, a plain JSON file, a skipped folder, a hidden one.
        workspace.write("other.json", config(["other"], schema: "https://json.schemastore.org/package.json"))
        workspace.write("package.json", config(["plain"]))
        workspace.write("node_modules/x/diddy-mesh.json", config(["vendored"]))
        workspace.write(".hidden/diddy-mesh.json", config(["hidden"]))
        let symbols = await query(text, Fixture(Sample.mesh), folders: [workspace.path])
        #expect(render(symbols) == expected)
        for symbol in symbols {
            #expect(
                symbol["kind"]?.intValue == LSP.SymbolKind.class || symbol["kind"]?.intValue == LSP.SymbolKind.event)
            #expect(symbol["location"]?["range"]?["start"]?["line"] != nil)
        }
    }

    @Test("a config that is open is read from the editor, not from the disk")
    func openWins() async {
        let workspace = Workspace()
        defer { workspace.remove() }
        workspace.write("mesh.jsonc", config(["on-disk"]))
        let fixture = Fixture(Sample.mesh, directory: workspace.path)
        let names = render(await query("", fixture, folders: [workspace.path]))
        #expect(names.contains("user-service (services) mesh.jsonc"))
        #expect(!names.contains { $0.hasPrefix("on-disk") })
    }

    @Test("symbolic links, FIFOs and files over the size cap are passed over")
    func untrustedTree() async {
        let workspace = Workspace()
        let outside = Workspace()
        defer {
            workspace.remove()
            outside.remove()
        }
        let target = outside.write("diddy-mesh.jsonc", config(["outside"]))
        try? FileManager.default.createSymbolicLink(
            atPath: workspace.path + "/link.mesh.json", withDestinationPath: target)
        try? FileManager.default.createSymbolicLink(
            atPath: workspace.path + "/linked", withDestinationPath: outside.path)
        #expect(mkfifo(workspace.path + "/fifo.mesh.json", 0o600) == 0)
        workspace.write("big.mesh.json", config(["big"]) + String(repeating: " ", count: 5000))
        workspace.write("small.mesh.json", config(["small"]))
        var limits = WorkspaceSymbolIndex.Limits()
        limits.fileBytes = 4096
        let names = render(
            await query("", Fixture("{}"), folders: [workspace.path], index: WorkspaceSymbolIndex(limits: limits)))
        #expect(names == ["small (services) small.mesh.json", "r-small (routing) small.mesh.json"])
    }

    @Test("unchanged files are not parsed again; a changed one is")
    func cache() async {
        let workspace = Workspace()
        defer { workspace.remove() }
        workspace.write("a.mesh.json", config(["alpha"]))
        let path = workspace.write("b.mesh.json", config(["beta"]))
        let index = WorkspaceSymbolIndex()
        let fixture = Fixture("{}")
        _ = await query("", fixture, folders: [workspace.path], index: index)
        #expect(index.parseCount == 2)
        _ = await query("al", fixture, folders: [workspace.path], index: index)
        #expect(index.parseCount == 2)
        workspace.write("b.mesh.json", config(["beta", "gamma-longer"]))
        let names = render(await query("gamma", fixture, folders: [workspace.path], index: index))
        #expect(index.parseCount == 3)
        #expect(names == ["gamma-longer (services) b.mesh.json", "r-gamma-longer (routing) b.mesh.json"])
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("a walk of the folders serves the queries of its reuse window; a new file shows after it")
    func walkReuse() async {
        let workspace = Workspace()
        defer { workspace.remove() }
        workspace.write("a.mesh.json", config(["alpha"]))
        let fixture = Fixture("{}")
        var limits = WorkspaceSymbolIndex.Limits()
        limits.walkReuse = .seconds(3600)
        let reusing = WorkspaceSymbolIndex(limits: limits)
        limits.walkReuse = .zero
        let walking = WorkspaceSymbolIndex(limits: limits)
        for index in [reusing, walking] { _ = await query("", fixture, folders: [workspace.path], index: index) }
        workspace.write("b.mesh.json", config(["beta"]))
        #expect(render(await query("beta", fixture, folders: [workspace.path], index: reusing)).isEmpty)
        #expect(
            render(await query("beta", fixture, folders: [workspace.path], index: walking)) == [
                "beta (services) b.mesh.json", "r-beta (routing) b.mesh.json",
            ])
        // Other folders are walked afresh.
        let other = Workspace()
        defer { other.remove() }
        other.write("c.mesh.json", config(["gamma"]))
        #expect(render(await query("gamma", fixture, folders: [other.path], index: reusing)).count == 2)
    }

    @Test("the answer holds at most 256 symbols; the file and byte caps bound a query")
    func caps() async {
        let workspace = Workspace()
        defer { workspace.remove() }
        workspace.write("many.mesh.json", config((0..<300).map { "s\($0)" }))
        #expect(await query("", Fixture("{}"), folders: [workspace.path]).count == WorkspaceSymbolHandler.resultLimit)
        for index in 0..<5 { workspace.write("f\(index).mesh.json", config(["f\(index)"])) }
        var limits = WorkspaceSymbolIndex.Limits()
        limits.search.files = 3
        let found = WorkspaceSymbolIndex(limits: limits).files(in: [workspace.path], excluding: [])
        #expect(
            found.map { ($0.path as NSString).lastPathComponent } == ["f0.mesh.json", "f1.mesh.json", "f2.mesh.json"])
        limits = WorkspaceSymbolIndex.Limits()
        // Room for the first two files exactly.
        limits.totalBytes = config(["f0"]).utf8.count + config(["f1"]).utf8.count
        let budgeted = WorkspaceSymbolIndex(limits: limits).files(in: [workspace.path], excluding: [])
        #expect(budgeted.map { ($0.path as NSString).lastPathComponent } == ["f0.mesh.json", "f1.mesh.json"])
    }

    @Test("initialize reads workspaceFolders, else rootUri; didChangeWorkspaceFolders updates them")
    func folders() async throws {
        let negotiated = try InitializeHandler.negotiate([
            "capabilities": [:],
            "workspaceFolders": [["uri": "file:///a%20b", "name": "a"], ["uri": "untitled:x", "name": "x"]],
            "rootUri": "file:///ignored",
        ])
        #expect(negotiated.workspaceFolders == ["/a b"])
        #expect(
            try InitializeHandler.negotiate(["capabilities": [:], "rootUri": "file:///r"]).workspaceFolders == ["/r"])
        #expect(
            try InitializeHandler.negotiate(["capabilities": [:], "workspaceFolders": .null]).workspaceFolders == [])
        let capabilities = InitializeHandler.result(encoding: .utf16, version: "0")["capabilities"]
        #expect(capabilities?["workspaceSymbolProvider"] == true)
        #expect(capabilities?["workspace"]?["workspaceFolders"]?["changeNotifications"] == true)
    }
}
