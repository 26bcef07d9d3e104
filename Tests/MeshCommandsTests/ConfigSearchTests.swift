import Foundation
import MeshCommands
import Testing

/// The one config discovery of every command (docs/guide/config-discovery.md): the search
/// with no path, upward to the repository root and never above it; the commands that need
/// exactly one config; standard input and its size cap.
@Suite("config discovery: the search with no path, single configs, standard input")
struct ConfigSearchTests {
    /// A tree of files, the folder the search starts in, and what it must find (paths
    /// relative to the tree) or the parts of its error.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Relative paths; one ending in `/` is an empty folder (`.git/`).
        var files: [String]
        var start: String
        var found: [String] = []
        var error: [String] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a sub-folder finds the config at the repository root",
            files: [".git/", "diddy-mesh.jsonc", "services/api/main.ts"], start: "services/api",
            found: ["diddy-mesh.jsonc"]),
        Case(
            name: "the nearest folder with a config wins",
            files: [".git/", "diddy-mesh.jsonc", "services/edge.mesh.jsonc", "services/api/main.ts"],
            start: "services/api", found: ["services/edge.mesh.jsonc"]),
        Case(
            name: "the start folder is searched with its sub-folders first",
            files: [".git/", "diddy-mesh.jsonc", "services/api/deep/api.mesh.json"], start: "services",
            found: ["services/api/deep/api.mesh.json"]),
        Case(
            name: "parents are searched without their other sub-folders",
            files: [".git/", "other/diddy-mesh.jsonc", "services/api/main.ts"], start: "services/api",
            error: [
                "no mesh config found: searched ", "services/api with its sub-folders, then ", "(the repository root",
            ]),
        Case(
            name: "never above the repository root",
            files: ["diddy-mesh.jsonc", "repo/.git/", "repo/src/main.ts"], start: "repo/src",
            error: ["repo (the repository root, which holds .git)", "name a config file or folder"]),
        Case(
            name: "a .git file (a worktree) marks the root too",
            files: ["diddy-mesh.jsonc", "repo/.git", "repo/src/main.ts"], start: "repo/src",
            error: ["repo (the repository root, which holds .git)"]),
        Case(
            name: "at the repository root nothing above is searched",
            files: ["diddy-mesh.jsonc", "repo/.git/", "repo/main.ts"], start: "repo",
            error: ["repo with its sub-folders (the repository root, which holds .git),"]),
    ]

    @Test("the search with no path", arguments: cases)
    func searchWithNoPath(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        for file in testCase.files {
            if file.hasSuffix("/") {
                try FileManager.default.createDirectory(
                    atPath: directory.path(file), withIntermediateDirectories: true)
            } else {
                try directory.write(file, file.contains("mesh") ? SampleConfig.clean.text : "gitdir: elsewhere\n")
            }
        }
        try FileManager.default.createDirectory(
            atPath: directory.path(testCase.start), withIntermediateDirectories: true)
        switch ConfigDiscovery.discover(in: [], from: directory.path(testCase.start)) {
        case .success(let found):
            #expect(testCase.error.isEmpty, "found \(found.files)")
            let root = directory.url.resolvingSymlinksInPath().path
            let relative = found.files.map { path in
                URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
                    .replacingOccurrences(of: root + "/", with: "")
            }
            #expect(relative == testCase.found)
        case .failure(let failure):
            #expect(!testCase.error.isEmpty, "\(failure.message)")
            for part in testCase.error {
                #expect(failure.message.contains(part), "\(failure.message)")
            }
            #expect(failure.message.contains("diddy-mesh.json(c), *.mesh.json(c)"), "says which names it looked for")
        }
    }

    @Test("a search outside any repository stays in the start folder and says why")
    func outsideARepository() throws {
        let directory = try TemporaryDirectory()
        try directory.write("diddy-mesh.jsonc", SampleConfig.clean.text)
        try FileManager.default.createDirectory(atPath: directory.path("sub"), withIntermediateDirectories: true)
        let message = try #require(ConfigDiscovery.discover(in: [], from: directory.path("sub")).failure?.message)
        #expect(message.contains("no folder above was searched, because none up to / holds .git"), "\(message)")
    }

    @Test("the search with no path stops at its entry limit and says so; a named folder is searched whole")
    func entryLimit() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path(".git"), withIntermediateDirectories: true)
        for index in 0..<8 { try directory.write("src/file\(index).ts", "") }
        try directory.write("src/zz.mesh.jsonc", SampleConfig.clean.text)
        let start = directory.path("src")
        let stopped = try #require(ConfigDiscovery.discover(in: [], from: start, searchLimit: 5).failure)
        #expect(
            stopped.message
                == "\(start) holds more than 5 files and folders, too many to search without a path; name a config "
                + "file or folder")
        #expect(!stopped.foundNothing, "a search cut short did not find nothing")
        #expect(ConfigDiscovery.discover(in: [], from: start, searchLimit: 9).success?.files.count == 1)
        #expect(ConfigDiscovery.discover(in: [start], searchLimit: 5).success?.files.count == 1)
        let empty = directory.path(".git")
        #expect(ConfigDiscovery.discover(in: [], from: empty).failure?.foundNothing == true)
    }

    @Test("bad forms are refused with the reason")
    func badForms() {
        #expect(
            ConfigDiscovery.discover(in: ["a.jsonc"], stdinName: "x.jsonc").failure?.message
                == "--stdin-filename names standard input: give '-' as the path too")
        #expect(
            ConfigDiscovery.discover(in: ["-", "-"]).failure?.message
                == "standard input ('-') can be read only once")
        #expect(ConfigDiscovery.discover(in: ["-"], stdinName: "api.jsonc").success?.files == ["api.jsonc"])
        #expect(ConfigDiscovery.discover(in: ["-"]).success?.files == ["<stdin>"])
    }

    @Test("a command that reads one config refuses a folder holding several, listing them")
    func severalConfigs() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.mesh.jsonc", SampleConfig.clean.text)
        let second = try directory.write("b/diddy-mesh.jsonc", SampleConfig.clean.text)
        let message = try #require(
            ConfigDiscovery.single(in: [directory.url.path], command: "route").failure?.message)
        #expect(message == "route reads one mesh config, and 2 were found: \(first), \(second); name the one to use")

        var options = RouteRunner.Options()
        options.configPath = directory.url.path
        options.url = "https://x.example/"
        let result = RouteRunner.run(options)
        #expect(result.exitCode == 2)
        #expect(result.errors == "error: \(message)\n")
        #expect(result.output.isEmpty)

        options.configPath = directory.path("b")
        // Not refused (2): the one config is read; its rules do not route `/` (1).
        #expect(RouteRunner.run(options).exitCode == 1, "a folder holding one config is that config")
    }

    @Test(
        "standard input is read up to the cap, and past it is a clear error",
        arguments: [(5, 5, "hello"), (6, 5, "hello"), (4, 5, nil)])
    func standardInputCap(limit: Int, size: Int, expected: String?) throws {
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data(String(repeating: "hello", count: 1).prefix(size).utf8))
        try pipe.fileHandleForWriting.close()
        switch FileReader.read(pipe.fileHandleForReading, limit: limit) {
        case .success(let bytes):
            #expect(String(decoding: bytes, as: UTF8.self) == expected)
        case .failure(let failure):
            #expect(expected == nil)
            #expect(failure.message.hasPrefix("cannot read standard input: it is larger than the "))
        }
    }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }

    /// The value, or nil on failure.
    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
