import MeshSyntax
import MeshTestSupport
import Testing

/// "Did you mean" through the deletion-variant index: the rows pin the choices, and the
/// property test holds the index to the definition (compare the word with every name).
@Suite("Suggestion index")
struct SuggestionIndexTests {
    static func check(
        _ word: String, among names: [String], maxDistance: Int = 2, _ expected: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let found = SuggestionIndex(names).suggestion(for: word, maxDistance: maxDistance)
        #expect(found == expected, "suggestion for \(word.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test("choices")
    func choices() {
        let names = ["users", "orders", "payments", "Users-v2", "api", "ap"]
        Self.check("usres", among: names, "users")
        Self.check("order", among: names, "orders")
        Self.check("paymnts", among: names, "payments")
        // A case-only difference wins over a closer spelling.
        Self.check("USERS-V2", among: names, "Users-v2")
        Self.check("users", among: names + ["USERS"], "USERS")
        // Ties go to the earlier name.
        Self.check("apx", among: names, "api")
        Self.check("aq", among: ["ab", "ac"], "ab")
        // Never as many edits as the word is long, nor more than the limit.
        Self.check("zz", among: names, nil)
        Self.check("x", among: ["y"], nil)
        Self.check("shipping", among: names, nil)
        Self.check("pymnts", among: names, maxDistance: 1, nil)
        Self.check("pymnts", among: names, maxDistance: 2, "payments")
        // More than two edits only through the fallback by length.
        Self.check("authentication-svc", among: ["authentikation-srv"], maxDistance: 4, "authentikation-srv")
        Self.check("authentication-svc", among: ["authentikation-srv"], maxDistance: 2, nil)
        // The word itself is not a suggestion.
        Self.check("api", among: ["api"], nil)
        // Over the length cap, nothing is suggested.
        let long = String(repeating: "a", count: SuggestionIndex.longestSuggested + 1)
        Self.check(long + "b", among: [long], maxDistance: 40, nil)
    }

    /// The definition the index must agree with: every name, in order.
    static func reference(_ word: String, among names: [String], maxDistance: Int) -> String? {
        var best: (String, Int)?
        let lowered = word.lowercased()
        for name in names where name != word {
            if name.lowercased() == lowered { return name }
            let distance = EditDistance.distance(lowered, name.lowercased())
            if distance <= maxDistance, distance < lowered.unicodeScalars.count, distance < (best?.1 ?? .max) {
                best = (name, distance)
            }
        }
        return best?.0
    }

    @Test("agrees with comparing every name", arguments: [1, 2, 3, 4])
    func agreesWithReference(seed: UInt64) {
        var generator = SplitMix(seed: seed)
        let alphabet = Array("abcAB-é漢")
        func word(_ length: Int) -> String {
            String((0..<length).map { _ in alphabet[generator.next(below: alphabet.count)] })
        }
        let names = (0..<300).map { _ in word(1 + generator.next(below: 9)) }
        let index = SuggestionIndex(names)
        for _ in 0..<300 {
            // Half the words are near misses of a name, half are random.
            var probe = generator.next(below: 2) == 0 ? names[generator.next(below: names.count)] : word(4)
            for _ in 0..<generator.next(below: 4) {
                var scalars = Array(probe)
                let position = generator.next(below: scalars.count + 1)
                switch generator.next(below: 3) {
                case 0 where position < scalars.count: scalars.remove(at: position)
                case 1 where position < scalars.count:
                    scalars[position] = alphabet[generator.next(below: alphabet.count)]
                default: scalars.insert(alphabet[generator.next(below: alphabet.count)], at: position)
                }
                probe = String(scalars)
            }
            for maxDistance in [1, 2, 3] {
                #expect(
                    index.suggestion(for: probe, maxDistance: maxDistance)
                        == Self.reference(probe, among: names, maxDistance: maxDistance),
                    "\(probe.debugDescription) within \(maxDistance)")
            }
        }
    }
}
