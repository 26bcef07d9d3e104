import MeshRouter
import Testing

@Suite("Pattern inclusion (the decision procedure behind DM402/DM403)")
struct PatternInclusionTests {
    private func pattern(_ text: String) throws -> PathPattern {
        try PathPattern.parse(text).get()
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let outer: String
        let inner: String
        /// `+path`: included with this witness; `-path`: not, with this counterexample.
        let expected: String
        var testDescription: String { "\(inner) within \(outer)" }
    }

    static let cases: [Case] = [
        Case(outer: "/api/*", inner: "/api/users/:id", expected: "+/api/users/x"),
        Case(outer: "/api/users/*", inner: "/api/users", expected: "-/api/users"),
        Case(outer: "/api/users", inner: "/api/users/*", expected: "-/api/users/"),
        Case(outer: "/api/user*", inner: "/api/users/*", expected: "+/api/users/"),
        Case(outer: "/api/user*", inner: "/api/user", expected: "+/api/user"),
        Case(outer: "/api/users/*", inner: "/api/user*", expected: "-/api/user"),
        Case(outer: "/:a/:b", inner: "/x/*", expected: "-/x/"),
        Case(outer: "/a/:b", inner: "/a/", expected: "-/a/"),
        Case(outer: "/a/*", inner: "/a/", expected: "+/a/"),
        Case(outer: "/*", inner: "/", expected: "+/"),
        Case(outer: "/:a", inner: "/", expected: "-/"),
        Case(outer: "/:a/*", inner: "/*/b/c", expected: "+/x/b/c"),
        Case(outer: "/*/b", inner: "/:a/b", expected: "+/x/b"),
        Case(outer: "/a/*/c", inner: "/a/b/c", expected: "+/a/b/c"),
        Case(outer: "/a/b/c", inner: "/a/*/c", expected: "-/a/x/c"),
        // 'x' is a literal here, so the stand-in for "any other byte" becomes 'y'.
        Case(outer: "/x/x", inner: "/x/:id", expected: "-/x/y"),
        Case(outer: "/a//b", inner: "/a//b", expected: "+/a//b"),
        Case(outer: "/a/:x/b", inner: "/a//b", expected: "-/a//b"),
        Case(outer: "/v1*", inner: "/v1/a/:b/c/*", expected: "+/v1/a/x/c/"),
        Case(outer: "/v1/:x", inner: "/v1/*", expected: "-/v1/"),
        Case(outer: "/v1/*", inner: "/v1/:x", expected: "+/v1/x"),
    ]

    @Test("inclusion with shortest witnesses and counterexamples", arguments: cases)
    func table(_ entry: Case) throws {
        let result = PatternInclusion.check(try pattern(entry.inner), within: try pattern(entry.outer))
        let path = String(entry.expected.dropFirst())
        if entry.expected.hasPrefix("+") {
            #expect(result == .included(witness: path))
        } else {
            #expect(result == .notIncluded(counterexample: path))
        }
    }

    @Test("a pattern that only matches paths normalization never produces matches nothing")
    func vacuousPatterns() throws {
        for inner in ["/a/./b", "/a/../b", "/a/.", "/%2e/x", "/a/%2E%2e", "/a/.%2e/*"] {
            #expect(PatternInclusion.check(try pattern(inner), within: try pattern("/z")) == .vacuous, "\(inner)")
        }
        // Dots that do not make a whole dot segment are ordinary bytes.
        #expect(
            PatternInclusion.check(try pattern("/a/..x"), within: try pattern("/a/:b")) == .included(witness: "/a/..x"))
        #expect(
            PatternInclusion.check(try pattern("/a/.*"), within: try pattern("/a/:b"))
                == .notIncluded(counterexample: "/a/.x/"))
        // A parameter is never filled with a dot segment, so it cannot be the counterexample.
        #expect(PatternInclusion.check(try pattern("/:a"), within: try pattern("/*")) == .included(witness: "/x"))
    }

    @Test("equivalence: same paths, whatever the parameter names")
    func equivalence() throws {
        #expect(PatternInclusion.equivalent(try pattern("/a/:id"), try pattern("/a/:name")))
        #expect(PatternInclusion.equivalent(try pattern("/a/:id/*"), try pattern("/a/*/*")))
        #expect(!PatternInclusion.equivalent(try pattern("/a/:id"), try pattern("/a/*")))
        #expect(!PatternInclusion.equivalent(try pattern("/a/:id"), try pattern("/a/*/")))
        #expect(!PatternInclusion.equivalent(try pattern("/api/user*"), try pattern("/api/users*")))
    }

    @Test("a path avoiding other patterns")
    func avoiding() throws {
        let inner = try pattern("/api/:id")
        #expect(PatternInclusion.path(in: inner, avoiding: []) == "/api/x")
        #expect(
            PatternInclusion.path(in: inner, avoiding: [try pattern("/api/y"), try pattern("/api/x*")]) == "/api/z")
        #expect(PatternInclusion.path(in: inner, avoiding: [try pattern("/api/*")]) == nil)
    }

    @Test("long patterns stay fast: 60 segments and a wide alphabet")
    func longPatterns() throws {
        let segments = (0..<60).map {
            $0 % 7 == 3 ? ":p\($0)" : "seg\($0)-\(String(UnicodeScalar(UInt8(65 + $0 % 26))))"
        }
        let inner = try pattern("/" + segments.joined(separator: "/"))
        let outer = try pattern("/" + segments.prefix(30).joined(separator: "/") + "/*")
        let clock = ContinuousClock()
        let start = clock.now
        #expect(PatternInclusion.check(inner, within: outer).isIncluded)
        #expect(!PatternInclusion.check(outer, within: inner).isIncluded)
        #expect(clock.now - start < .seconds(2))
    }

    /// The property of issue 3: for random pattern pairs over {a, b}, the procedure agrees
    /// with brute force over every path of up to 7 bytes over {a, b, /}. Its answers are
    /// shortest, so a counterexample or witness within the bound has exactly the length of
    /// the shortest one brute force finds; beyond the bound, the reference matcher checks it.
    @Test("agrees with brute-force enumeration on random pattern pairs")
    func bruteForceAgreement() throws {
        let bound = 7
        let paths = ShadowSupport.allPaths(maxLength: bound)
        var random = SeededRandom(seed: 0x5EED_0003)
        var pool: [String] = []
        while pool.count < 300 {
            let text = ShadowSupport.randomPattern(&random)
            if !pool.contains(text) { pool.append(text) }
        }
        let matched: [[Bool]] = pool.map { text in
            let pieces = ShadowSupport.pieces(text)
            return paths.map { ShadowSupport.matches(pieces, $0) }
        }
        let compiled = try pool.map(pattern)
        var counts = (pairs: 0, included: 0, notIncluded: 0, beyondBound: 0, equivalent: 0)
        for _ in 0..<4_000 {
            let outer = Int(random.next() % UInt64(pool.count))
            let inner = Int(random.next() % UInt64(pool.count))
            counts.pairs += 1
            let bruteCounterexample = paths.indices.first { matched[inner][$0] && !matched[outer][$0] }.map {
                paths[$0]
            }
            let bruteWitness = paths.indices.first { matched[inner][$0] }.map { paths[$0] }
            let innerPieces = ShadowSupport.pieces(pool[inner])
            let outerPieces = ShadowSupport.pieces(pool[outer])
            let label = "\(pool[inner]) within \(pool[outer])"
            switch PatternInclusion.check(compiled[inner], within: compiled[outer]) {
            case .notIncluded(let counterexample):
                counts.notIncluded += 1
                #expect(
                    ShadowSupport.matches(innerPieces, counterexample)
                        && !ShadowSupport.matches(outerPieces, counterexample), "\(label): \(counterexample)")
                if let bruteCounterexample {
                    #expect(
                        counterexample.utf8.count == bruteCounterexample.utf8.count,
                        "\(label): \(counterexample) vs \(bruteCounterexample)")
                } else {
                    counts.beyondBound += 1
                    #expect(
                        counterexample.utf8.count > bound,
                        "\(label): brute force found no counterexample, procedure gave \(counterexample)")
                }
            case .included(let witness):
                counts.included += 1
                #expect(bruteCounterexample == nil, "\(label): brute force found \(bruteCounterexample ?? "")")
                #expect(
                    ShadowSupport.matches(innerPieces, witness) && ShadowSupport.matches(outerPieces, witness),
                    "\(label): \(witness)")
                if let bruteWitness {
                    #expect(witness.utf8.count == bruteWitness.utf8.count, "\(label): \(witness) vs \(bruteWitness)")
                } else {
                    counts.beyondBound += 1
                    #expect(witness.utf8.count > bound)
                }
                if PatternInclusion.check(compiled[outer], within: compiled[inner]).isIncluded {
                    counts.equivalent += 1
                }
            case .vacuous:
                Issue.record("\(label): paths over {a, b, /} are never vacuous")
            }
        }
        print(
            "pattern inclusion property: \(counts.pairs) pairs over \(pool.count) patterns x \(paths.count) paths: "
                + "\(counts.included) included (\(counts.equivalent) equivalent), \(counts.notIncluded) not included, "
                + "\(counts.beyondBound) answered beyond the \(bound)-byte bound"
        )
        #expect(counts.included > 100 && counts.notIncluded > 100)
    }
}
