import MeshSyntax
import Testing

/// ``SyntaxTree/number(_:)`` and ``SyntaxTree/integer(_:)`` read plain integers straight
/// from their bytes; these hold that shortcut to the full reading (the number grammar,
/// then `Double(text)`), which every other spelling still takes.
@Suite("number reading")
struct NumberReadingTests {
    /// The full reading, as it was before the shortcut: the value of a valid number text.
    static func fullNumber(_ text: String) -> Double? {
        JSONNumber.value(of: text) != nil ? Double(text) : nil
    }

    /// The full reading of a whole number that fits, as JSON Schema's `integer` reads it.
    static func fullInteger(_ text: String) -> Int? {
        guard let value = fullNumber(text), value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// Both readings of `text` as the one element of an array, by the tree and in full.
    static func expectSameReading(_ text: String) {
        let tree = JSONParser.parse("[\(text)]")
        guard let array = tree.rootValue, let element = tree.elements(of: array).first,
            tree.kind(element) == .number
        else { return }
        let number = tree.number(element)
        let expected = fullNumber(text)
        #expect(number == expected, "number of \(text)")
        // The sign of zero shows in messages (`-0.0`), so it must survive too.
        #expect(number?.sign == expected?.sign, "sign of \(text)")
        #expect(tree.integer(element) == fullInteger(text), "integer of \(text)")
    }

    @Test(
        "edge spellings read as the full grammar reads them",
        arguments: [
            "0", "-0", "1", "-1", "7", "10", "5000", "-5000", "00", "01", "-01", "0.0", "-0.0", "1.0", "3e2",
            "3E2", "1e-2", "2.5", "-2.5", "1.5e3", "999999999999999", "-999999999999999", "1000000000000000",
            "-1000000000000000", "9007199254740993", "8999999999999999", "9000000000000000", "12345678901234567890",
            "1e400", "-1e400", "1.", ".5", "-", "--1", "+1", "1-", "0x10", "1e", "1e+", "1_000", "123abc",
        ])
    func edgeSpellings(text: String) {
        Self.expectSameReading(text)
    }

    @Test("random integers and near-integers read as the full grammar reads them")
    func randomNumbers() {
        var generator = SeededGenerator(seed: 0x5EED_1234)
        let digits = Array("0123456789")
        for _ in 0..<20_000 {
            var text = generator.next() % 4 == 0 ? "-" : ""
            let length = Int(generator.next() % 19) + 1
            for _ in 0..<length { text.append(digits[Int(generator.next() % 10)]) }
            switch generator.next() % 8 {
            case 0: text += ".0"
            case 1: text += "e\(generator.next() % 20)"
            case 2: text += ".\(generator.next() % 1000)"
            default: break
            }
            Self.expectSameReading(text)
        }
    }
}
