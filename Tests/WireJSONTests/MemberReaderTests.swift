import Testing
import WireJSON

/// The reader's failures, as plain values, so the test can compare them exactly.
private struct Problem: Error, Equatable {
    let problem: MemberProblem
}

/// A reader over `object` at `path` whose failures are ``Problem``s.
private func reader(_ object: JSONObject, path: String = "params") -> MemberReader<Problem> {
    MemberReader(object: object, path: path, failure: { Problem(problem: $0) })
}

/// Runs `read` and returns its value or its problem, for one-line expectations.
private func outcome<Value>(_ read: () throws(Problem) -> Value) -> Result<Value, Problem> {
    do { return .success(try read()) } catch { return .failure(error) }
}

/// One object every case reads from.
private let sample: JSONObject = [
    "name": "users", "count": 3, "whole": 1764374400000.0, "fraction": 2.5, "negative": -1, "flag": true,
    "nothing": nil, "inner": ["uri": "file:///a"], "list": [["x": 1], 7], "mode": "mtls",
]

private enum Mode: String, CaseIterable { case none, token, mtls }

@Test("Present members read as their values; absent and null ones as nil")
func presentAndAbsent() throws {
    let members = reader(sample)
    #expect(try members.string("name") == "users")
    #expect(try members.optionalString("missing") == nil)
    #expect(try members.optionalString("nothing") == nil)
    #expect(try members.int("count") == 3)
    #expect(try members.int64("whole") == 1_764_374_400_000)
    #expect(try members.double("fraction") == 2.5)
    #expect(try members.double("count") == 3)
    #expect(try members.optionalBool("flag") == true)
    #expect(try members.count("count") == 3)
    #expect(try members.choice("mode", Mode.self, allowed: Mode.allCases) == .mtls)
    let inner = try members.object("inner")
    #expect(inner.path == "params.inner")
    #expect(try inner.string("uri") == "file:///a")
    #expect(members["nothing"] == nil)
}

@Test("Every problem names the member's full path and what was expected")
func problems() {
    let members = reader(sample)
    #expect(
        outcome { () throws(Problem) in try members.string("missing") }
            == .failure(Problem(problem: .missing(member: "params.missing", expected: .string))))
    #expect(
        outcome { () throws(Problem) in try members.string("nothing") }
            == .failure(Problem(problem: .missing(member: "params.nothing", expected: .string))))
    #expect(
        outcome { () throws(Problem) in try members.int("fraction") }
            == .failure(Problem(problem: .wrongKind(member: "params.fraction", expected: .integer, found: 2.5))))
    #expect(
        outcome { () throws(Problem) in try members.optionalBool("name") }
            == .failure(Problem(problem: .wrongKind(member: "params.name", expected: .boolean, found: "users"))))
    #expect(
        outcome { () throws(Problem) in try members.count("negative") }
            == .failure(Problem(problem: .invalid(member: "params.negative", detail: "must not be negative"))))
    #expect(
        outcome { () throws(Problem) in try members.choice("name", Mode.self, allowed: [.none, .token]) }
            == .failure(
                Problem(problem: .invalid(member: "params.name", detail: "is 'users'; expected one of 'none', 'token'"))
            ))
    #expect(
        outcome { () throws(Problem) in try members.object("name").path }
            == .failure(Problem(problem: .wrongKind(member: "params.name", expected: .object, found: "users"))))
    #expect(
        outcome { () throws(Problem) in try members.objects("list").count }
            == .failure(Problem(problem: .wrongKind(member: "params.list[1]", expected: .object, found: 7))))
}

@Test("At the top of a value the path is the member's own name")
func topLevelPath() throws {
    let members = reader(sample, path: "")
    #expect(members.qualified("inner") == "inner")
    #expect(try members.object("inner").path == "inner")
    #expect(
        outcome { () throws(Problem) in try members.array("name") }
            == .failure(Problem(problem: .wrongKind(member: "name", expected: .array, found: "users"))))
}
