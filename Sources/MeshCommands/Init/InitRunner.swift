import Foundation
import MeshRegistry

/// What `diddy-mesh init` writes, prints and exits with, apart from argument parsing so
/// that tests run it in-process: 0 written, 2 nothing written (a file is in the way, the
/// wrangler config is unreadable, or the KV binding is ambiguous).
public struct InitRunner: Sendable {
    public var output = ""
    public var errors = ""
    public var exitCode: Int32 = 0

    /// The schema file `init` writes beside the config when no other `$schema` applies.
    public static let schemaFileName = "diddy-mesh.schema.json"

    /// The options of `init`.
    public struct Options: Sendable {
        /// The folder to write into (created when missing).
        public var directory = "."
        /// Overwrite files that exist.
        public var force = false
        /// The KV binding to use among the wrangler config's namespaces.
        public var binding: String?
        /// The `$schema` value; nil chooses one (see ``InitRunner/run(_:)``).
        public var schema: String?
        /// `mesh.name`; nil uses the folder's name.
        public var name: String?
        public init() {}
    }

    /// Writes the starter config (and, when it is what `$schema` names, the schema file).
    ///
    /// `$schema` is `--schema` when given; else the relative path to the
    /// `schemas/diddy-mesh.schema.json` of an enclosing checkout of this repository (as the
    /// examples use); else `diddy-mesh.schema.json`, written beside the config from
    /// `diddy-mesh schema`: the schema is not published at a stable URL, and a local copy
    /// works offline and matches the binary that checks the file.
    public static func run(_ options: Options) -> InitRunner {
        var runner = InitRunner()
        let directory = URL(fileURLWithPath: options.directory).standardizedFileURL
        let wrangler: WranglerConfig?
        switch WranglerConfig.find(startingAt: directory.path) {
        case .success(let found): wrangler = found
        case .failure(let error):
            // The error names the file (and line); its "not configured" prefix would mislead here.
            let detail = if case .notConfigured(let detail) = error { detail } else { error.description }
            return runner.failing(
                "\(detail) (init reads the wrangler config for its KV namespaces: fix it, or run init in a folder "
                    + "without one)"
            )
        }
        let wranglerName = wrangler.map { relativePath(of: $0.path, from: directory.path) } ?? "wrangler config"
        let choice: InitBinding.Choice
        switch InitBinding.choose(wrangler: wrangler, wranglerName: wranglerName, requested: options.binding) {
        case .success(let chosen): choice = chosen
        case .failure(let failure): return runner.failing(failure.message)
        }

        let repositorySchema = options.schema == nil ? enclosingRepositorySchema(from: directory) : nil
        let writesSchemaFile = options.schema == nil && repositorySchema == nil
        let schema =
            options.schema ?? repositorySchema.map { relativePath(of: $0, from: directory.path) } ?? schemaFileName
        let name = options.name ?? defaultName(for: directory)
        let config = InitTemplate.text(.init(name: name, schema: schema, binding: choice.binding))

        var files = [(name: InitTemplate.fileName, text: config)]
        if writesSchemaFile { files.append((schemaFileName, JSONSchemaGenerator.text())) }
        // A dangling symbolic link counts as something in the way: writing through it
        // would create a file wherever it points (docs/security.md).
        let existing = files.map(\.name).filter {
            WorkspaceFile.kind(of: directory.appendingPathComponent($0).path) != nil
        }
        if !existing.isEmpty, !options.force {
            let names = existing.joined(separator: " and ")
            return runner.failing(
                "\(display(names, in: options.directory)) already exist\(existing.count == 1 ? "s" : ""); nothing "
                    + "was written (use --force to overwrite)"
            )
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return runner.failing("cannot write into \(options.directory): \(error.localizedDescription)")
        }
        for file in files {
            let path = directory.appendingPathComponent(file.name).path
            if existing.contains(file.name) {
                // --force replaces a file or a link itself, never what a link points to.
                switch WorkspaceFile.kind(of: path) {
                case .regular?, .symbolicLink?: unlink(path)
                case .directory?:
                    return runner.failing(
                        "cannot overwrite \(display(file.name, in: options.directory)): it is a folder")
                case .other(let kind)?:
                    return runner.failing(
                        "cannot overwrite \(display(file.name, in: options.directory)): it is \(kind)")
                case nil: break
                }
            }
            if case .failure(let failure) = WorkspaceFile.create(path, bytes: Array(file.text.utf8)) {
                return runner.failing(failure.message)
            }
        }
        for file in files {
            let verb = existing.contains(file.name) ? "overwrote" : "created"
            runner.output += "\(verb) \(display(file.name, in: options.directory))\n"
        }
        let refresh = " (refresh it after upgrading with `diddy-mesh schema > \(schemaFileName)`)"
        runner.output += "$schema: \(schema)\(writesSchemaFile ? refresh : "")\n"
        runner.output += choice.note + "\n"
        let checkTarget = options.directory == "." ? "" : " \(options.directory)"
        runner.output += "next: diddy-mesh check\(checkTarget)\n"
        return runner
    }

    private mutating func failing(_ message: String) -> InitRunner {
        errors += "error: \(message)\n"
        exitCode = 2
        return self
    }

    /// `name` as the user would type it from where they ran the command.
    private static func display(_ name: String, in directory: String) -> String {
        directory == "." ? name : (directory as NSString).appendingPathComponent(name)
    }

    /// The folder's name, or a generic one for `/`.
    static func defaultName(for directory: URL) -> String {
        let name = directory.lastPathComponent
        return name.isEmpty || name == "/" ? "my-mesh" : name
    }

    /// `schemas/diddy-mesh.schema.json` in `directory` or a parent, when it is inside a
    /// checkout of this repository.
    static func enclosingRepositorySchema(from directory: URL) -> String? {
        var current = directory
        while true {
            let candidate = current.appendingPathComponent("schemas").appendingPathComponent(schemaFileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = current.deletingLastPathComponent()
            guard parent.path != current.path else { return nil }
            current = parent
        }
    }

    /// `path` relative to the folder `base` (both absolute and standardized).
    static func relativePath(of path: String, from base: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let origin = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        var common = 0
        while common < target.count, common < origin.count, target[common] == origin[common] { common += 1 }
        let ups = Array(repeating: "..", count: origin.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
