import Testing
import WireJSON

/// Asserts that strict parsing rejects `input` at byte `offset`.
private func check(_ input: [UInt8], _ offset: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    switch WireJSON.parse(input) {
    case .success(let value):
        Issue.record("accepted \(input) as \(value)", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.offset == offset, "\(error) for \(input)", sourceLocation: sourceLocation)
    }
}

/// Text inputs that RFC 8259 rejects, with the byte where the problem starts.
private let rejectedText: [(String, Int)] = [
    ("", 0),
    ("  \n", 3),
    ("[1,]", 3),
    ("{\"a\":1,}", 7),
    ("[1 /* c */]", 3),
    ("// c\n[1]", 0),
    ("[01]", 1),
    ("[00]", 1),
    ("[-01]", 1),
    ("[1.]", 1),
    ("[1e]", 1),
    ("[1.0e+]", 1),
    ("[-]", 1),
    ("[.5]", 1),
    ("[+1]", 1),
    ("[0x10]", 2),
    ("[NaN]", 1),
    ("[Infinity]", 1),
    ("[-Infinity]", 1),
    ("[tRue]", 1),
    ("nul", 0),
    ("['a']", 1),
    ("{a:1}", 1),
    ("{\"a\" 1}", 5),
    ("[true false]", 6),
    ("[1] x", 4),
    ("[1]]", 3),
    ("{}{}", 2),
    ("123abc", 3),
    ("[1", 2),
    ("[\"\\u00\"]", 6),
    ("[\"\\x41\"]", 3),
    ("[\"\u{01}\"]", 2),
    ("[\"a\tb\"]", 3),
    ("[\"a\nb\"]", 3),
    ("[99999999999999999999]", 1),
    ("[9223372036854775808]", 1),
    ("[18446744073709551615]", 1),
    ("[-9223372036854775809]", 1),
    ("[1e400]", 1),
    ("[-1e400]", 1),
    ("{\"a\\u0000b\":1}", 3),
    ("\u{FEFF}[1]", 0),
    ("\u{0C}[1]", 0),
    ("[1]\u{0B}", 3),
]

@Test("Strict mode rejects non-RFC 8259 text", arguments: rejectedText)
func rejectsText(input: String, offset: Int) {
    check(Array(input.utf8), offset)
}

/// Byte inputs: NUL bytes (json-c would stop reading there) and ill-formed UTF-8.
private let rejectedBytes: [([UInt8], Int)] = [
    (Array("[1]".utf8) + [0], 3),
    (Array("[1]".utf8) + [0] + Array("x".utf8), 3),
    (Array("[\"a".utf8) + [0] + Array("b\"]".utf8), 3),
    ([0], 0),
    ([0x5B, 0x22, 0xFF, 0x22, 0x5D], 2),
    ([0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D], 2),
    ([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D], 2),
    ([0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D], 2),
    ([0x5B, 0x22, 0x61, 0xE2, 0x82, 0x22, 0x5D], 3),
    ([0x22, 0xE2, 0x82], 1),
]

@Test("Strict mode rejects NUL bytes and ill-formed UTF-8", arguments: rejectedBytes)
func rejectsBytes(input: [UInt8], offset: Int) {
    check(input, offset)
}

@Test("Errors describe themselves with their offset")
func errorDescription() {
    #expect(WireJSON.parse("[01]") == .failure(WireJSONError(message: "invalid number literal '01'", offset: 1)))
    #expect(WireJSONError(message: "empty document", offset: 0).description == "empty document at byte 0")
    #expect(WireJSONError(message: "no place", offset: nil).description == "no place")
}
