import Foundation
import MeshSyntax

/// GitHub Actions workflow commands, one per diagnostic, so findings show as annotations.
public enum GitHubFormatter {
    /// The workflow commands for `files`.
    public static func format(_ files: [CheckedFile]) -> String {
        var output = ""
        for file in files {
            for diagnostic in file.diagnostics {
                let start = OutputPosition(diagnostic.range.start, in: file.source)
                let end = OutputPosition(diagnostic.range.end, in: file.source)
                let command: String
                switch diagnostic.severity {
                case .error: command = "error"
                case .warning: command = "warning"
                case .information, .hint: command = "notice"
                }
                let properties = [
                    "file=\(escapeProperty(file.path))",
                    "line=\(start.line)", "col=\(start.column)",
                    "endLine=\(end.line)", "endColumn=\(end.column)",
                    "title=\(diagnostic.code.rawValue)",
                ].joined(separator: ",")
                output += "::\(command) \(properties)::\(escapeData(diagnostic.message))\n"
            }
        }
        return output
    }

    /// Escapes a message as the runner expects (`%`, CR and LF), after showing every
    /// other control character as a visible stand-in (``TerminalText``): the runner prints
    /// annotations into a log that is read on terminals too.
    static func escapeData(_ text: String) -> String {
        TerminalText.escape(text, keepingLayout: true).replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a property value, which additionally must not contain `:` or `,`.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
