import MeshSyntax
import Testing

@Suite("percent-encoding")
struct PercentEncodingTests {
    @Test(
        "by default only the RFC 3986 unreserved characters stay, the rest is %XX in upper-case hex",
        arguments: [
            ("abc-._~XYZ09", "abc-._~XYZ09"),
            ("health:svc:ep", "health%3Asvc%3Aep"),
            ("a/b?c#d%e f+g&h=", "a%2Fb%3Fc%23d%25e%20f%2Bg%26h%3D"),
            ("é☃", "%C3%A9%E2%98%83"),
            ("\u{0}\u{7F}", "%00%7F"),
            ("", ""),
        ])
    func unreserved(text: String, expected: String) {
        #expect(PercentEncoding.encode(text) == expected)
        #expect(PercentEncoding.decode(expected) == text)
    }

    @Test("the caller's set decides what stays: a URI path keeps `/`, a path set keeps all but a few")
    func callerSets() {
        let uriPath = PercentEncoding.encode("dir/my file é.json") {
            PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/")
        }
        #expect(uriPath == "dir/my%20file%20%C3%A9.json")
        let pathSet = PercentEncoding.encode(Substring("a b%2F{x}")) {
            $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "{")
        }
        #expect(pathSet == "a%20b%2F%7Bx}", "an existing escape is kept as it is")
    }

    @Test("decoding accepts either hex case and refuses truncated or non-hex escapes and non-UTF-8 bytes")
    func decoding() {
        #expect(PercentEncoding.decode("%c3%a9%C3%A9") == "éé")
        #expect(PercentEncoding.decode("plain") == "plain")
        #expect(PercentEncoding.decode("%") == nil)
        #expect(PercentEncoding.decode("%4") == nil)
        #expect(PercentEncoding.decode("%zz") == nil)
        #expect(PercentEncoding.decode("%FF") == nil)
    }
}
