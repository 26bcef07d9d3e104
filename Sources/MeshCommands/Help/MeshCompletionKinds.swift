import ArgumentParser

/// The completions the commands' arguments share, so each declaration names one
/// (docs/guide/install.md, "Shell completions").
extension CompletionKind {
    /// A mesh config file: `diddy-mesh.jsonc`, `*.mesh.json` and the like (folders are
    /// offered too, to walk into).
    static var meshConfig: CompletionKind { .file(extensions: ["jsonc", "json"]) }
}
