import MeshConfig
import MeshSyntax
import Testing

@Suite("Semantic checks after syntax errors")
struct RecoveryTests {
    @Test("three unrelated syntax errors are all reported, and an intact rule still gets its DM301")
    func threeErrorsAndAReference() throws {
        let document = check(
            """
            {
              "version": 1,
              "mesh": { "name": «'shop'» },
              "services": {
                "users": { "endpoints": ["https://users.example.workers.dev"], "timeout": 3000 «"retries"»: 2 },
                "orders": { "endpoints": ["https://orders.example.workers.dev"] },
                "unused": {}
              },
              "routing": {
                "rules": [
                  { "path": "/api/users/*", "service": "users" },
                  { "path": "/api/orders/*", "service": «"ordres"» }
                ]
              },
              "observability": { "metrics": «True» }
            }
            """,
            [
                ExpectedDiagnostic(.syntaxError, "strings must be in double quotes: found 'shop'"),
                ExpectedDiagnostic(.syntaxError, "expected ',' between properties"),
                ExpectedDiagnostic(.undefinedService, "did you mean 'orders'?", fix: "\"orders\""),
                ExpectedDiagnostic(.syntaxError, "JSON literals are lower case"),
            ])
        // The model is built around the errors: the member after the missing comma counts.
        let users = try #require(document.config.service(named: "users"))
        #expect(users.policies.timeout?.value == 3000)
        #expect(users.policies.retries?.attempts?.value == 2)
        #expect(document.config.routing.rules.count == 2)
        #expect(document.config.serviceNames == ["users", "orders", "unused"])
    }

    @Test("a broken rule does not hide the checks of the rules around it")
    func brokenRule() {
        check(
            """
            {
              "services": { "users": { "endpoints": [«"users.example.workers.dev"»] } },
              "routing": {
                "rules": [
                  { "path": "/a", "service": «"usrs"» },
                  { "path": "/b", «service»: "users" },
                  { "path": "/c", "service": «"nobody"» }
                ]
              }
            }
            """,
            [
                ExpectedDiagnostic(.invalidEndpointURL),
                ExpectedDiagnostic(.undefinedService, "did you mean 'users'?"),
                ExpectedDiagnostic(.syntaxError, "property names must be in double quotes"),
                ExpectedDiagnostic(.undefinedService, "unknown service 'nobody'"),
            ])
    }

    @Test("an unclosed document still gets its schema and reference checks")
    func unclosed() {
        check(
            """
            {
              "services": { "users": { "timeout": «99999» } },
              "routing": { "rules": [{ "path": "/", "service": «"user"» }]
            «»
            """,
            [
                ExpectedDiagnostic(.valueOutOfRange),
                ExpectedDiagnostic(.undefinedService, "did you mean 'users'?"),
                ExpectedDiagnostic(.syntaxError, "expected '}' to close the object"),
            ])
    }
}
