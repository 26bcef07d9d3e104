import MeshRegistry
import MeshSyntax

/// What `fmt` prints and how it exits, apart from argument parsing so tests can run it
/// in-process. The layout is the language server's (``JSONCFormatter``), so a file
/// formatted in the editor passes `fmt --check` and the other way round.
public struct FmtRunner: Sendable {
    /// Bytes for standard output (`--check`'s diffs).
    public var output = ""
    /// Bytes for standard error (what was formatted, what could not be).
    public var errors = ""
    /// 0 formatted (or, with `--check`, already formatted); 1 with `--check`, when a file
    /// is not formatted; 2 when a file could not be read, parsed or written.
    public var exitCode: Int32 = 0

    /// Formats the configs under `paths` (found as `check` finds them) in place, or with
    /// `check` only reports, as unified diffs, the files that are not formatted.
    public static func run(paths: [String], check: Bool) -> FmtRunner {
        var runner = FmtRunner()
        let searched = paths.isEmpty ? ["."] : paths
        let files: [String]
        switch ConfigDiscovery.discover(in: searched) {
        case .failure(let failure):
            runner.fail(failure.message)
            return runner
        case .success(let found):
            files = found.files
            runner.errors += found.notes.map { "note: \($0)\n" }.joined()
        }
        guard !files.isEmpty else {
            runner.fail("no mesh config found in \(searched.joined(separator: ", "))")
            return runner
        }
        var unformatted = 0
        var formatted = 0
        for path in files {
            switch FileReader.read(path) {
            case .failure(let failure):
                runner.fail(failure.message)
            case .success(let bytes):
                let tree = JSONParser.parse(
                    SourceText(bytes: bytes), options: ParseOptions(dialect: JSONDialect.forFile(named: path)))
                guard let text = JSONCFormatter.format(tree) else {
                    runner.fail("cannot format '\(path)': it has syntax errors (see 'diddy-mesh check \(path)')")
                    continue
                }
                let result = Array(text.utf8)
                guard result != bytes else { continue }
                if check {
                    unformatted += 1
                    runner.output +=
                        TextDiff.unified(
                            old: String(decoding: bytes, as: UTF8.self), new: text, oldName: "a/" + path,
                            newName: "b/" + path) ?? "\(path): not formatted (too large to show as a diff)\n"
                } else if case .failure(let failure) = WorkspaceFile.replace(path, bytes: result) {
                    runner.fail(failure.message)
                } else {
                    formatted += 1
                    runner.errors += "formatted \(path)\n"
                }
            }
        }
        if runner.exitCode == 0, check, unformatted > 0 {
            runner.exitCode = 1
            runner.errors +=
                "\(unformatted) of \(files.count) \(files.count == 1 ? "file is" : "files are") not formatted\n"
        }
        return runner
    }

    private mutating func fail(_ message: String) {
        errors += "error: \(message)\n"
        exitCode = 2
    }
}
