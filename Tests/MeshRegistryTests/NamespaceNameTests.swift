import Testing

@testable import MeshRegistry

/// The Durable Object name derivation of docs/guide/registry.md ("wrangler-local").
@Suite("Miniflare namespace file names")
struct NamespaceNameTests {
    @Test("both test vectors of docs/guide/registry.md")
    func registryVectors() {
        #expect(
            MiniflareNamespace.durableObjectName(uniqueKey: "mykey", name: "http://foo/")
                == "59002eb8cf872e541722977a258a12d6a93bbe8192b502e1c0cb250aa91af234")
        #expect(
            MiniflareNamespace.durableObjectName(uniqueKey: "miniflare-KVNamespaceObject", name: "TEST_NAMESPACE")
                == "36463ddcd0a4ca90ece08f9ee493d8fd95653bfebbcd65709818515ae3ccd8d1")
    }

    @Test("the database file name is the KV object's name plus .sqlite")
    func databaseFileName() {
        #expect(
            MiniflareNamespace.databaseFileName(namespaceId: "TEST_NAMESPACE")
                == "36463ddcd0a4ca90ece08f9ee493d8fd95653bfebbcd65709818515ae3ccd8d1.sqlite")
    }

    @Test("names are 64 lowercase hex characters and differ per namespace")
    func shape() {
        let names = ["a", "b", "KV", "kv", "ünïcödé", String(repeating: "x", count: 300)].map {
            MiniflareNamespace.durableObjectName(uniqueKey: MiniflareNamespace.kvUniqueKey, name: $0)
        }
        for name in names {
            #expect(name.count == 64)
            #expect(name.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(Set(names).count == names.count)
    }

    @Test("the second half authenticates the first: hmac = HMAC(key, nameHmac)")
    func secondHalfDependsOnFirst() {
        // Same unique key, same first half -> same second half; checked through a known vector.
        let name = MiniflareNamespace.durableObjectName(uniqueKey: "mykey", name: "http://foo/")
        #expect(name.prefix(32) == "59002eb8cf872e541722977a258a12d6")
        #expect(name.suffix(32) == "a93bbe8192b502e1c0cb250aa91af234")
    }
}
