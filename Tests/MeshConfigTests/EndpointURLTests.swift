import MeshConfig
import Testing

/// What `EndpointURL.parse` makes of a URL: its parts and comparison key, or its problem.
/// The parse reads bytes and maps ASCII case without Unicode's tables, so the table has
/// hosts and schemes in both cases, non-ASCII hosts (which take Unicode's lower case) and
/// every rejection.
@Suite("Endpoint URLs")
struct EndpointURLTests {
    /// The one helper: `text` parses to `expected`, written `scheme host port rest => key`,
    /// or fails with `expected` as its message.
    func check(_ text: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let written: String
        switch EndpointURL.parse(text) {
        case .success(let url):
            let port = url.port.map(String.init) ?? "-"
            written = "\(url.scheme) \(url.host) \(port) \(url.rest) => \(url.comparisonKey)"
        case .failure(let problem):
            written = problem.message
        }
        #expect(written == expected, "parsing \(text)", sourceLocation: sourceLocation)
    }

    @Test("the parts and the comparison key of good URLs")
    func goodURLs() {
        check("https://u.example.workers.dev", "https u.example.workers.dev -  => https://u.example.workers.dev")
        check("HTTPS://Users.Example.DEV/", "https users.example.dev - / => https://users.example.dev")
        check("http://api.internal:8080/v1//", "http api.internal 8080 /v1// => http://api.internal:8080/v1")
        check("https://a.dev:443/x?q=A#F", "https a.dev 443 /x?q=A#F => https://a.dev/x?q=A#F")
        check("http://a.dev:80", "http a.dev 80  => http://a.dev")
        check("https://a.dev:80", "https a.dev 80  => https://a.dev:80")
        check("https://User:Pw@Host.dev/p", "https host.dev - /p => https://host.dev/p")
        check("https://[::1]/", "https [::1] - / => https://[::1]")
        check("HtTp://x", "http x -  => http://x")
    }

    @Test("non-ASCII hosts and schemes take Unicode's lower case")
    func nonASCII() {
        check("https://ÄPFEL.Example/", "https äpfel.example - / => https://äpfel.example")
        // U+0130 lower-cases to two scalars, i and a combining dot above.
        check("https://\u{130}stanbul.dev", "https i\u{307}stanbul.dev -  => https://i\u{307}stanbul.dev")
        check("HTTPŞ://a.dev", "the scheme 'httpş' is not http or https")
    }

    @Test("what is rejected, and why")
    func problems() {
        check("users.example.dev", "it is not an absolute URL (expected 'https://host')")
        check("://a.dev", "the scheme is missing")
        check("FTP://a.dev", "the scheme 'ftp' is not http or https")
        check("https://", "the host is missing")
        check("https://a.dev:0", "the port '0' is not a number from 1 to 65535")
        check("https://a.dev:65536/", "the port '65536' is not a number from 1 to 65535")
        check("https://a.dev:x", "the port 'x' is not a number from 1 to 65535")
        check("https://a b.dev", "the host contains white space")
        check("https://a%20.dev", "the host contains '%'")
        check("https://a.dev/x y", "it contains white space")
    }
}
