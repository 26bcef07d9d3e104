import Foundation
import Testing

@testable import MeshRegistry

/// The cloudflare backend against the local fake of the Workers KV REST API: the happy
/// paths, metadata, expirations, odd keys and pagination.
@Suite(.enabled(if: FakeCloudflareServer.isAvailable, FakeCloudflareServer.unavailableReason))
struct CloudflareKVStoreTests {
    @Test func putGetDeleteRoundTrip() async throws {
        try await withFakeCloudflare { server in
            let store = server.store()
            try await store.put("mesh:config", value: Array("{\"a\":1}".utf8), metadata: nil, expirationTtl: nil)
            #expect(try await store.get("mesh:config") == Array("{\"a\":1}".utf8))
            let stats = try await server.stats()
            #expect(stats.lastPutContentType == "application/octet-stream", "no metadata: a raw body, not a form")
            try await store.delete("mesh:config")
            #expect(try await store.get("mesh:config") == nil)
            try await store.delete("mesh:config") // deleting an absent key is fine
        }
    }

    @Test func absentKeysReadAsNil() async throws {
        try await withFakeCloudflare { server in
            let store = server.store()
            let value = try await store.get("service:nobody")
            let entry = try await store.getWithMetadata("service:nobody")
            #expect(value == nil)
            #expect(entry == nil)
        }
    }

    @Test func metadataAndExpirationRoundTrip() async throws {
        try await withFakeCloudflare { server in
            let store = server.store()
            let metadata = #"{"s":"healthy","t":1764374400000,"l":19.5,"c":"closed"}"#
            let value = Array(#"{"service":"user-service","status":"healthy"}"#.utf8)
            let before = Int64(Date().timeIntervalSince1970)
            try await store.put(
                "health:user-service:https%3A%2F%2Fusers", value: value, metadata: metadata, expirationTtl: 90)
            let stats = try await server.stats()
            #expect(stats.lastPutContentType == "multipart/form-data")
            #expect(stats.lastPutParts == ["metadata", "value"])
            #expect(stats.lastPutTTL == "90")

            let entry = try #require(try await store.getWithMetadata("health:user-service:https%3A%2F%2Fusers"))
            #expect(entry.value == value)
            #expect(entry.metadata == metadata)
            let expiration = try #require(entry.expiration)
            #expect(expiration >= before + 90 && expiration <= before + 92)

            let page = try await store.list(prefix: "health:user-service:", cursor: nil, limit: nil)
            #expect(page.keys.map(\.name) == ["health:user-service:https%3A%2F%2Fusers"])
            #expect(page.keys.first?.metadata == metadata)
            #expect(page.keys.first?.expiration == expiration)
            #expect(page.cursor == nil)
        }
    }

    @Test func binaryValuesSurviveTheMultipartForm() async throws {
        try await withFakeCloudflare { server in
            let store = server.store()
            // CR LF, dashes and NULs: everything that could confuse a hand-made form body.
            let value: [UInt8] =
                Array("\r\n--\r\n--diddy-mesh-\r\n\r\n".utf8) + [0, 255, 13, 10, 45, 45] + (0...255).map { UInt8($0) }
            try await store.put("blob", value: value, metadata: #"{"k":"v"}"#, expirationTtl: nil)
            let entry = try #require(try await store.getWithMetadata("blob"))
            #expect(entry.value == value)
            #expect(entry.metadata == #"{"k":"v"}"#)
            #expect(entry.expiration == nil)
        }
    }

    @Test func keysWithReservedCharactersStayOneKey() async throws {
        try await withFakeCloudflare { server in
            let store = server.store()
            let keys = ["a/b", "a?b#c", "100%", "sp ace", "ünïcødé:☃", "plus+and&eq=", "health:svc:https%3A%2F%2Fx"]
            for (index, key) in keys.enumerated() {
                try await store.put(key, value: [UInt8(index)], metadata: nil, expirationTtl: nil)
            }
            for (index, key) in keys.enumerated() {
                #expect(try await store.get(key) == [UInt8(index)], "key \(key)")
            }
            let listed = try await store.listAll(prefix: nil).map(\.name)
            #expect(Set(listed) == Set(keys))
            #expect(try await store.listAll(prefix: "a?").map(\.name) == ["a?b#c"])
        }
    }

    @Test func listingFollowsCursorsOverSeveralPages() async throws {
        try await withFakeCloudflare { server in
            try await server.control(["seed": ["prefix": "service:s", "count": 2500] as [String: any Sendable]])
            try await server.control(["seed": ["prefix": "other:", "count": 5] as [String: any Sendable]])
            let store = server.store()

            let first = try await store.list(prefix: "service:", cursor: nil, limit: 1000)
            #expect(first.keys.count == 1000)
            #expect(first.cursor != nil)
            #expect(first.keys.first?.name == "service:s00000")
            #expect(first.keys.first?.metadata == #"{"i":0}"#)

            let all = try await store.listAll(prefix: "service:", pageLimit: 1000)
            #expect(all.count == 2500)
            #expect(all.map(\.name) == (0..<2500).map { "service:s" + String(format: "%05d", $0) })
            #expect(all.last?.metadata == #"{"i":2499}"#)
            let stats = try await server.stats()
            #expect(stats.byRoute["GET keys"] == 4, "one single page, then 3 pages of 1000, 1000, 500")
        }
    }

    @Test func serverPageSizeSmallerThanTheLimit() async throws {
        try await withFakeCloudflare(pageSize: 7) { server in
            let store = server.store()
            for index in 0..<25 {
                try await store.put(
                    "k\(String(format: "%02d", index))", value: [UInt8(index)], metadata: "{\"n\":\(index)}",
                    expirationTtl: nil)
            }
            var pages = 0
            var names: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.list(prefix: "k", cursor: cursor, limit: 3) // clamped up to 10
                pages += 1
                names += page.keys.map(\.name)
                cursor = page.cursor
            } while cursor != nil
            #expect(pages == 4, "25 keys at 7 per page")
            #expect(names == (0..<25).map { "k" + String(format: "%02d", $0) })
        }
    }

    @Test func descriptionsNameTheNamespaceNotTheToken() async throws {
        let store = CloudflareKVStore(accountId: "acc", namespaceId: "ns", token: FakeCloudflareServer.token)
        #expect(store.displayName == "cloudflare (account acc, namespace ns)")
        var dumped = ""
        dump(store, to: &dumped)
        for text in [store.description, String(reflecting: store), "\(store)", dumped] {
            #expect(!text.contains(FakeCloudflareServer.token), "\(text)")
        }
    }
}
