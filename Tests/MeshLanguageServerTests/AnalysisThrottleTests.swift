import MeshSyntax
import Testing

@testable import MeshLanguageServer

private func version(_ number: Int, uri: String = "file:///a.jsonc") -> DocumentSnapshot {
    DocumentSnapshot(uri: uri, version: number, source: SourceText("{\"version\": \(number)}"), languageID: "jsonc")
}

@Suite("analysis throttle")
struct AnalysisThrottleTests {
    let start = ContinuousClock.now

    @Test("an edit after a quiet spell is analysed at once")
    func quiet() {
        var throttle = AnalysisThrottle(interval: .milliseconds(10))
        #expect(throttle.changed(version(1), now: start) == .start(after: .zero))
        #expect(throttle.finished(uri: "file:///a.jsonc", now: start + .milliseconds(3)) == nil)
        #expect(throttle.changed(version(2), now: start + .milliseconds(50)) == .start(after: .zero))
    }

    @Test("edits during an analysis collapse into the latest, which starts one interval after the previous start")
    func burst() throws {
        var throttle = AnalysisThrottle(interval: .milliseconds(10))
        #expect(throttle.changed(version(1), now: start) == .start(after: .zero))
        for number in 2...5 {
            #expect(throttle.changed(version(number), now: start + .milliseconds(number)) == .wait)
        }
        #expect(throttle.hasNext(uri: "file:///a.jsonc"))
        let first = throttle.finished(uri: "file:///a.jsonc", now: start + .milliseconds(6))
        let (next, action) = try #require(first)
        #expect(next.version == 5)
        #expect(action == .start(after: .milliseconds(4)))
        #expect(throttle.changed(version(6), now: start + .milliseconds(7)) == .wait)
        let second = throttle.finished(uri: "file:///a.jsonc", now: start + .milliseconds(30))
        let (last, delay) = try #require(second)
        #expect(last.version == 6 && delay == .start(after: .zero))
    }

    @Test("documents are throttled independently, and closing one forgets it")
    func perDocument() {
        var throttle = AnalysisThrottle(interval: .milliseconds(10))
        #expect(throttle.changed(version(1), now: start) == .start(after: .zero))
        #expect(throttle.changed(version(1, uri: "file:///b.jsonc"), now: start) == .start(after: .zero))
        #expect(throttle.changed(version(2), now: start) == .wait)
        throttle.closed(uri: "file:///a.jsonc")
        #expect(throttle.finished(uri: "file:///a.jsonc", now: start) == nil)
        #expect(throttle.changed(version(3), now: start + .milliseconds(1)) == .start(after: .zero))
    }
}
