import Foundation
import Testing

@testable import MeshRegistry

/// The cloudflare backend when things go wrong: refused tokens, rate limits, server errors,
/// hangs, refused connections and redirects, each a specific ``RegistryError`` in bounded time.
@Suite(.enabled(if: FakeCloudflareServer.isAvailable, FakeCloudflareServer.unavailableReason))
struct CloudflareFaultTests {
    @Test func wrongTokenIsUnauthorized() async throws {
        try await withFakeCloudflare { server in
            let store = server.store(token: "not-the-token")
            let error = await cloudflareError { _ = try await store.get("k") }
            guard case .unauthorized(let message) = error else {
                Issue.record("expected .unauthorized, got \(String(describing: error))")
                return
            }
            #expect(message.contains("CLOUDFLARE_API_TOKEN"))
            #expect(message.contains("401"))
            #expect(message.contains("Authentication error"), "the envelope's error is passed on")
            let requests = try await server.stats().requests
            #expect(requests == 1, "401 is not retried")
        }
    }

    @Test func forbiddenIsUnauthorized() async throws {
        try await withFakeCloudflare { server in
            try await server.control(["mode": "403", "count": 1])
            let error = await cloudflareError {
                _ = try await server.store().list(prefix: nil, cursor: nil, limit: nil)
            }
            guard case .unauthorized = error else {
                Issue.record("expected .unauthorized, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func malformedTokenFailsBeforeAnyRequest() async throws {
        try await withFakeCloudflare { server in
            for token in ["", "two words", "line\r\nX-Injected: 1"] {
                let error = await cloudflareError { _ = try await server.store(token: token).get("k") }
                guard case .unauthorized(let message) = error else {
                    Issue.record("expected .unauthorized for a malformed token, got \(String(describing: error))")
                    continue
                }
                #expect(message.contains("CLOUDFLARE_API_TOKEN"))
            }
            let requests = try await server.stats().requests
            #expect(requests == 0, "nothing was sent")
        }
    }

    @Test func rateLimitWaitsForRetryAfterThenSucceeds() async throws {
        try await withFakeCloudflare { server in
            let store = server.store(maxRetries: 2)
            try await store.put("k", value: [1], metadata: nil, expirationTtl: nil)
            try await server.control(["mode": "429", "count": 2, "retryAfter": 1])
            let (value, seconds) = try await cloudflareTimed { try await store.get("k") }
            #expect(value == [1])
            #expect(seconds >= 1.9, "two waits of retry-after: 1 s")
            #expect(seconds < 4)
            let stats = try await server.stats()
            #expect(stats.faultsServed == 2)
            #expect(stats.byRoute["GET values"] == 3)
        }
    }

    @Test func rateLimitWithAnHTTPDate() async throws {
        try await withFakeCloudflare { server in
            let store = server.store(maxRetries: 1)
            try await server.control(["mode": "429", "count": 1, "retryAfter": "http-date:+2"])
            let (value, seconds) = try await cloudflareTimed { try await store.get("absent") }
            #expect(value == nil)
            // The date has one-second resolution: the wait is between 1 and 2 s.
            #expect(seconds >= 0.9 && seconds < 4, "waited \(seconds) s")
        }
    }

    @Test func rateLimitExhaustedIsRateLimited() async throws {
        try await withFakeCloudflare { server in
            let store = server.store(maxRetries: 1)
            try await server.control(["mode": "429", "count": 10, "retryAfter": 1])
            let error = await cloudflareError { _ = try await store.get("k") }
            #expect(error == .rateLimited(retryAfter: 1))
            #expect(try await server.stats().byRoute["GET values"] == 2, "one try, one retry")
        }
    }

    @Test func retryAfterBeyondTheCapFailsAtOnce() async throws {
        try await withFakeCloudflare { server in
            try await server.control(["mode": "429", "count": 1, "retryAfter": 3600])
            let (error, seconds) = await cloudflareTimed {
                await cloudflareError { _ = try await server.store().get("k") }
            }
            #expect(error == .rateLimited(retryAfter: 3600))
            #expect(seconds < 2, "an hour is not waited for")
        }
    }

    @Test func serverErrorIsRetriedThenSucceeds() async throws {
        try await withFakeCloudflare { server in
            let store = server.store(maxRetries: 2)
            try await store.put("k", value: [7], metadata: nil, expirationTtl: nil)
            try await server.control(["mode": "503", "count": 2])
            #expect(try await store.get("k") == [7])
            #expect(try await server.stats().faultsServed == 2)
        }
    }

    @Test func serverErrorExhaustedIsFailedWithTheAPIMessage() async throws {
        try await withFakeCloudflare { server in
            try await server.control(["mode": "500", "count": 10])
            let error = await cloudflareError {
                try await server.store(maxRetries: 2).put("k", value: [1], metadata: #"{"a":1}"#, expirationTtl: 60)
            }
            guard case .failed(let message) = error else {
                Issue.record("expected .failed, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("Cloudflare API answered 500 for PUT values/k after 3 attempts"))
            #expect(message.contains("service temporarily unavailable"))
            #expect(try await server.stats().byRoute["PUT values"] == 3)
        }
    }

    @Test func aHangingServerTimesOutWithinTheTimeout() async throws {
        try await withFakeCloudflare { server in
            try await server.control(["mode": "hang", "count": 5, "hangSeconds": 20])
            let store = server.store(timeout: .seconds(1), maxRetries: 2)
            let (error, seconds) = await cloudflareTimed { await cloudflareError { _ = try await store.get("k") } }
            guard case .timeout(let message) = error else {
                Issue.record("expected .timeout, got \(String(describing: error))")
                return
            }
            #expect(message.contains("within 1 s"))
            #expect(seconds >= 0.9 && seconds < 2.0, "timed out after \(seconds) s; the bound is 1 s + 1 s")
            #expect(try await server.stats().byRoute["GET values"] == 1, "a timeout is not retried")
        }
    }

    @Test func subSecondTimeoutsWorkAgainstAHealthyServer() async throws {
        // swift-corelibs-foundation truncates URLSession timeouts to whole seconds, and 0 s
        // fails at once: the store must not hand it a sub-second one.
        try await withFakeCloudflare { server in
            let store = server.store(timeout: .milliseconds(400))
            try await store.put("k", value: [1], metadata: nil, expirationTtl: nil)
            let value = try await store.get("k")
            #expect(value == [1])
        }
    }

    @Test func refusedConnectionIsUnreachable() async throws {
        let refusing = try RefusingPort()
        let store = CloudflareKVStore(
            accountId: "a", namespaceId: "n", token: FakeCloudflareServer.token,
            baseURL: "http://127.0.0.1:\(refusing.port)/client/v4", timeout: .seconds(3)
        )
        let (error, seconds) = await cloudflareTimed {
            await cloudflareError { _ = try await store.list(prefix: nil, cursor: nil, limit: nil) }
        }
        guard case .unreachable(let message) = error else {
            Issue.record("expected .unreachable, got \(String(describing: error))")
            return
        }
        #expect(message.contains("127.0.0.1"))
        #expect(seconds < 2, "refused at once, not after the timeout")
    }

    @Test func redirectsAreNotFollowed() async throws {
        try await withFakeCloudflare { server in
            try await server.control(["mode": "redirect", "count": 1])
            let error = await cloudflareError { _ = try await server.store().get("k") }
            guard case .failed(let message) = error else {
                Issue.record("expected .failed, got \(String(describing: error))")
                return
            }
            #expect(message.contains("302"))
        }
    }

    @Test func badArgumentsFailBeforeAnyRequest() async throws {
        try await withFakeCloudflare { server in
            let store = server.store()
            for attempt in [
                { try await store.put("", value: [], metadata: nil, expirationTtl: nil) },
                { try await store.put("k", value: [], metadata: nil, expirationTtl: 30) },
                { try await store.put("k", value: [], metadata: "not json", expirationTtl: nil) },
                {
                    try await store.put(
                        "k", value: [], metadata: String(repeating: "x", count: 2000), expirationTtl: nil)
                },
                {
                    try await store.put(
                        String(repeating: "k", count: 513), value: [], metadata: nil, expirationTtl: nil)
                },
                {
                    try await store.put(
                        "k", value: [UInt8](repeating: 0, count: KVLimits.maximumValueBytes + 1), metadata: nil,
                        expirationTtl: nil)
                },
            ] as [@Sendable () async throws -> Void] {
                let error = await cloudflareError(attempt)
                guard case .invalidArgument = error else {
                    Issue.record("expected .invalidArgument, got \(String(describing: error))")
                    continue
                }
            }
            let requests = try await server.stats().requests
            #expect(requests == 0, "nothing was sent")
        }
    }
}
