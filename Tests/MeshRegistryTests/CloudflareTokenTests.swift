import Foundation
import Testing

@testable import MeshRegistry

/// The token never appears in any error message or description, whatever goes wrong, even
/// when the server quotes the Authorization header back.
@Suite(.enabled(if: FakeCloudflareServer.isAvailable, FakeCloudflareServer.unavailableReason))
struct CloudflareTokenTests {
    @Test func theTokenAppearsInNoErrorOrDescription() async throws {
        let secret = FakeCloudflareServer.token
        var errors: [RegistryError] = []
        try await withFakeCloudflare { server in
            let store = server.store(timeout: .milliseconds(500), maxRetries: 1)
            let scenarios: [[String: any Sendable]] = [
                ["mode": "401", "echoAuth": true],
                ["mode": "403", "echoAuth": true],
                ["mode": "429", "count": 5, "retryAfter": 0, "echoAuth": true],
                ["mode": "500", "count": 5, "echoAuth": true],
                ["mode": "503", "count": 5, "echoAuth": true],
                ["mode": "redirect"],
                ["mode": "hang", "count": 1, "hangSeconds": 3],
            ]
            for scenario in scenarios {
                try await server.control(scenario)
                if let error = await cloudflareError({ _ = try await store.get("k") }) { errors.append(error) }
                try await server.control(["mode": "none"])
            }
            // The server's own refusal of a wrong token, and of a wrong namespace.
            if let error = await cloudflareError({ _ = try await server.store(token: "wrong-" + secret).get("k") }) {
                errors.append(error)
            }
            let elsewhere = CloudflareKVStore(
                accountId: "other", namespaceId: "ns", token: secret, baseURL: server.baseURL)
            if let error = await cloudflareError({ _ = try await elsewhere.list(prefix: nil, cursor: nil, limit: nil) })
            {
                errors.append(error)
            }
            if let error = await cloudflareError({
                try await store.put("k", value: [], metadata: "{", expirationTtl: nil)
            }) {
                errors.append(error)
            }
        }
        let refusing = try RefusingPort()
        let unreachable = CloudflareKVStore(
            accountId: "a", namespaceId: "n", token: secret, baseURL: "http://127.0.0.1:\(refusing.port)")
        if let error = await cloudflareError({ _ = try await unreachable.get("k") }) { errors.append(error) }
        let notHTTP = CloudflareKVStore(
            accountId: "a", namespaceId: "n", token: secret, baseURL: "ftp://\(secret)@example")
        if let error = await cloudflareError({ _ = try await notHTTP.get("k") }) { errors.append(error) }

        #expect(errors.count == 12, "every scenario produced an error: \(errors)")
        #expect(errors.contains { if case .rateLimited = $0 { true } else { false } })
        #expect(errors.contains { if case .timeout = $0 { true } else { false } })
        #expect(errors.contains { if case .unreachable = $0 { true } else { false } })
        for error in errors {
            var dumped = ""
            dump(error, to: &dumped)
            let texts = [error.description, String(reflecting: error), "\(error)", error.localizedDescription, dumped]
            for text in texts {
                #expect(!text.contains(secret), "the token leaked into: \(text)")
                #expect(!text.contains("cfut_SECRET"), "part of the token leaked into: \(text)")
            }
        }
    }

    @Test func redactionReplacesEveryOccurrence() {
        let token = CloudflareToken("abcd1234")
        #expect(token.redact("x abcd1234 y abcd1234") == "x <redacted> y <redacted>")
        #expect(token.description == "<redacted>")
        #expect(String(reflecting: token) == "CloudflareToken(<redacted>)")
        #expect(RegistryError.failed("Bearer abcd1234").mapDetail(token.redact) == .failed("Bearer <redacted>"))
    }
}
