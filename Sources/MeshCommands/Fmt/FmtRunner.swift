import MeshRegistry
import MeshSyntax

/// What `fmt` prints and how it exits, apart from argument parsing so tests can run it
/// in-process. The layout is the language server's (``JSONCFormatter``), so a file
/// formatted in the editor passes `fmt --check` and the other way round.
public struct FmtRunner: Sendable {
    /// Bytes for standard output: `--check`'s diffs, or standard input formatted.
    public var output = ""
    /// Bytes for standard error (what was formatted, what could not be).
    public var errors = ""
    /// 0 formatted (or, with `--check`, already formatted); 1 with `--check`, when a file
    /// is not formatted; 2 when a file could not be read, parsed or written.
    public var exitCode: Int32 = 0

    /// Formats the configs `paths` name or the search finds (``ConfigDiscovery``) in place,
    /// or with `check` only reports, as unified diffs, the files that are not formatted.
    /// Standard input (`-`) is formatted to standard output, as rustfmt and Prettier do;
    /// `stdinName` (`--stdin-filename`) names it and picks its dialect.
    public static func run(paths: [String], check: Bool, stdinName: String? = nil) -> FmtRunner {
        var runner = FmtRunner()
        let configs: [ConfigSource]
        switch ConfigDiscovery.discover(in: paths, stdinName: stdinName) {
        case .failure(let failure):
            runner.errors = failure.report
            runner.exitCode = 2
            return runner
        case .success(let found):
            configs = found.configs
            runner.errors += ConfigDiscovery.noteLines(found.notes)
        }
        var unformatted = 0
        for config in configs {
            let path = config.displayPath
            let bytes: [UInt8]
            switch config.read() {
            case .failure(let failure):
                runner.fail(failure.message)
                continue
            case .success(let read):
                bytes = read
            }
            let tree = JSONParser.parse(
                SourceText(bytes: bytes), options: ParseOptions(dialect: JSONDialect.forFile(named: path)))
            guard let text = JSONCFormatter.format(tree) else {
                runner.fail("cannot format '\(path)': it has syntax errors (see 'diddy-mesh check \(path)')")
                continue
            }
            let result = Array(text.utf8)
            if check {
                guard result != bytes else { continue }
                unformatted += 1
                runner.output +=
                    TextDiff.unified(
                        old: String(decoding: bytes, as: UTF8.self), new: text, oldName: "a/" + path,
                        newName: "b/" + path) ?? "\(path): not formatted (too large to show as a diff)\n"
            } else if case .standardInput = config {
                runner.output += text
            } else if result != bytes {
                if case .failure(let failure) = WorkspaceFile.replace(path, bytes: result) {
                    runner.fail(failure.message)
                } else {
                    runner.errors += "formatted \(path)\n"
                }
            }
        }
        if runner.exitCode == 0, check, unformatted > 0 {
            runner.exitCode = 1
            runner.errors +=
                "\(unformatted) of \(configs.count) \(configs.count == 1 ? "file is" : "files are") not formatted\n"
        }
        return runner
    }

    private mutating func fail(_ message: String) {
        errors += "error: \(message)\n"
        exitCode = 2
    }
}
