import Testing
import WireJSON

/// Asserts that the JSON string literal `input` parses in strict mode to `expected`.
private func check(_ input: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(WireJSON.parse(input) == .success(.string(expected)), "input: \(input)", sourceLocation: sourceLocation)
}

/// Raw UTF-8, escapes, surrogate pairs and U+0000, which json-c would lose through C strings.
private let unicodeStrings: [(String, String)] = [
    ("\"😀\"", "😀"),
    ("\"日本語のテキスト\"", "日本語のテキスト"),
    ("\"e\u{301}\"", "e\u{301}"),
    ("\"\\u00e9\\u00E9\"", "éé"),
    ("\"\\u65e5\\u672c\"", "日本"),
    ("\"\\uD83D\\uDE00\"", "😀"),
    ("\"\\ud800\\udc00\"", "\u{10000}"),
    ("\"\\u0000\"", "\u{0}"),
    ("\"a\\u0000b\\u0000\"", "a\u{0}b\u{0}"),
    ("\"\\u2028\\u2029\"", "\u{2028}\u{2029}"),
    ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\u{8}\u{C}\n\r\t"),
    ("\"\u{7F}\"", "\u{7F}"),
    // json-c replaces lone surrogates with U+FFFD; RFC 8259 leaves their meaning open.
    ("\"\\ud800\"", "\u{FFFD}"),
    ("\"\\udc00x\"", "\u{FFFD}x"),
]

@Test("Unicode strings parse exactly", arguments: unicodeStrings)
func parsesUnicode(input: String, expected: String) {
    check(input, expected)
}

@Test("U+0000 inside a string survives and counts as one character")
func nulCharacterKept() throws {
    let value = try WireJSON.parse("[\"a\\u0000b\"]").get()
    #expect(value[0]?.stringValue?.unicodeScalars.count == 3)
}

@Test("Unicode object keys keep their text")
func unicodeKeys() throws {
    let value = try WireJSON.parse("{\"ключ\":\"值\",\"🔑\":1}").get()
    #expect(value.objectValue?.keys == ["ключ", "🔑"])
    #expect(value["ключ"] == "值")
}
