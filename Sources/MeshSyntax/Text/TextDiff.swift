/// A line diff in the unified style of `diff -u`, for `config diff` and for golden-file
/// failures in the tests.
public enum TextDiff {
    /// The lines above which a diff is not computed (the table is quadratic).
    public static let maximumCells = 16_000_000

    /// Hunks with `context` lines around changes, or nil when the texts are too large.
    public static func unified(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String?
    {
        let before = lines(old)
        let after = lines(new)
        var head = 0
        while head < before.count, head < after.count, before[head] == after[head] { head += 1 }
        var tail = 0
        while tail < before.count - head, tail < after.count - head,
            before[before.count - 1 - tail] == after[after.count - 1 - tail]
        { tail += 1 }
        let oldMiddle = Array(before[head..<(before.count - tail)])
        let newMiddle = Array(after[head..<(after.count - tail)])
        guard oldMiddle.count * newMiddle.count <= maximumCells else { return nil }
        // Edit script over the differing middle, by longest common subsequence.
        var table = [[Int]](repeating: [Int](repeating: 0, count: newMiddle.count + 1), count: oldMiddle.count + 1)
        for i in stride(from: oldMiddle.count - 1, through: 0, by: -1) {
            for j in stride(from: newMiddle.count - 1, through: 0, by: -1) {
                table[i][j] =
                    oldMiddle[i] == newMiddle[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var script: [(Character, String)] = before[..<head].map { (" ", $0) }
        var i = 0
        var j = 0
        while i < oldMiddle.count || j < newMiddle.count {
            if i < oldMiddle.count, j < newMiddle.count, oldMiddle[i] == newMiddle[j] {
                script.append((" ", oldMiddle[i]))
                i += 1
                j += 1
            } else if i < oldMiddle.count, j == newMiddle.count || table[i + 1][j] >= table[i][j + 1] {
                // Deletions before insertions, as `diff -u` prints a changed line.
                script.append(("-", oldMiddle[i]))
                i += 1
            } else {
                script.append(("+", newMiddle[j]))
                j += 1
            }
        }
        script += before[(before.count - tail)...].map { (" ", $0) }
        return render(script, oldName: oldName, newName: newName, context: context)
    }

    private static func render(_ script: [(Character, String)], oldName: String, newName: String, context: Int)
        -> String
    {
        var output = "--- \(oldName)\n+++ \(newName)\n"
        let changed = script.indices.filter { script[$0].0 != " " }
        guard !changed.isEmpty else { return output }
        var hunkStart = 0
        var index = 0
        while index < changed.count {
            let start = max(hunkStart, changed[index] - context)
            var end = changed[index] + context
            while index + 1 < changed.count, changed[index + 1] - context <= end + 1 {
                index += 1
                end = changed[index] + context
            }
            end = min(end, script.count - 1)
            let oldStart = script[..<start].filter { $0.0 != "+" }.count + 1
            let newStart = script[..<start].filter { $0.0 != "-" }.count + 1
            let slice = script[start...end]
            output +=
                "@@ -\(oldStart),\(slice.filter { $0.0 != "+" }.count) "
                + "+\(newStart),\(slice.filter { $0.0 != "-" }.count) @@\n"
            output += slice.map { "\($0.0)\($0.1)\n" }.joined()
            hunkStart = end + 1
            index += 1
        }
        return output
    }

    private static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }
}
