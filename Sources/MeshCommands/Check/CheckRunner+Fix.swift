import MeshRegistry
import MeshSyntax

extension CheckRunner {
    /// What `check --fix` does with the fixes it finds.
    public enum FixMode: Sendable {
        /// Writes each fixed file in place, then reports what is left.
        case apply
        /// Writes nothing and prints a unified diff per file instead of findings
        /// (`--fix --dry-run`); the exit status says whether anything would change.
        case dryRun
    }

    /// Applies the safe fixes of `checked` as `mode` says; returns the files to report
    /// (re-checked after fixing), or nil for a dry run, whose diffs are the output.
    mutating func applyFixes(_ checked: [CheckedFile], mode: FixMode, ignoring ignored: Set<DiagnosticCode>)
        -> [CheckedFile]?
    {
        var result: [CheckedFile] = []
        var diffs = ""
        var changed = 0
        for file in checked {
            // A file that is not text has no findings to fix.
            guard file.document != nil else {
                result.append(file)
                continue
            }
            let outcome = SafeFixer.fix(file.source.bytes, path: file.path, ignoring: ignored)
            guard outcome.applied > 0, outcome.bytes != file.source.bytes else {
                result.append(file)
                continue
            }
            changed += 1
            switch mode {
            case .dryRun:
                diffs +=
                    TextDiff.unified(
                        old: String(decoding: file.source.bytes, as: UTF8.self),
                        new: String(decoding: outcome.bytes, as: UTF8.self), oldName: "a/" + file.path,
                        newName: "b/" + file.path) ?? "note: \(file.path) is too large to show as a diff\n"
            case .apply:
                switch WorkspaceFile.replace(file.path, bytes: outcome.bytes) {
                case .success:
                    let count = outcome.applied == 1 ? "1 fix" : "\(outcome.applied) fixes"
                    errors += "fixed \(file.path): \(count) applied\n"
                    result.append(CheckedFile.check(path: file.path, bytes: outcome.bytes))
                case .failure(let failure):
                    errors += "error: \(failure.message)\n"
                    exitCode = 2
                    result.append(file)
                }
            }
        }
        guard mode == .dryRun else { return result }
        output = diffs
        if exitCode == 0 { exitCode = changed > 0 ? 1 : 0 }
        return nil
    }
}
