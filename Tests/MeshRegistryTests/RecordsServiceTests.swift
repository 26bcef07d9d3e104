import MeshConfig
import MeshRegistry
import MeshSyntax
import Testing

/// Keys, service registrations and the deployed config record (docs/guide/registry.md).
@Suite("Records: keys, registrations and the deployed config")
struct RecordsServiceTests {
    typealias S = RegistrySupport

    @Test("keys are as in docs/guide/registry.md, endpoint ids percent-encoded except unreserved bytes")
    func keys() {
        #expect(RegistryKeys.meshConfig == "mesh:config")
        #expect(RegistryKeys.service("user-service") == "service:user-service")
        #expect(RegistryKeys.healthPrefix(service: "user-service") == "health:user-service:")
        #expect(
            RegistryKeys.health(service: "user-service", endpointId: "https://users.example.workers.dev/a b?x=1")
                == "health:user-service:https%3A%2F%2Fusers.example.workers.dev%2Fa%20b%3Fx%3D1")
        #expect(RegistryKeys.health(service: "s", endpointId: "AZaz09-._~") == "health:s:AZaz09-._~")
        #expect(RegistryKeys.health(service: "s", endpointId: "é:%") == "health:s:%C3%A9%3A%25")
    }

    @Test(
        "endpoint ids come back from keys; foreign keys and broken escapes do not",
        arguments: [
            "https://users.example.workers.dev", "eu-1", "é ünïcode/%25", "",
        ])
    func endpointIds(id: String) {
        let key = RegistryKeys.health(service: "users", endpointId: id)
        #expect(RegistryKeys.endpointId(fromHealthKey: key, service: "users") == id)
        #expect(RegistryKeys.endpointId(fromHealthKey: key, service: "user") == nil)
    }

    @Test("percent-decoding rejects truncated and non-hex escapes and non-UTF-8 bytes")
    func badEscapes() {
        #expect(RegistryKeys.endpointId(fromHealthKey: "health:s:%", service: "s") == nil)
        #expect(RegistryKeys.endpointId(fromHealthKey: "health:s:%4", service: "s") == nil)
        #expect(RegistryKeys.endpointId(fromHealthKey: "health:s:%zz", service: "s") == nil)
        #expect(RegistryKeys.endpointId(fromHealthKey: "health:s:%FF", service: "s") == nil)
        #expect(RegistryKeys.endpointId(fromHealthKey: "health:s:%c3%a9", service: "s") == "é")
    }

    static let registrationText = #"""
        {"name": "orders", "version": "1.4.0", "registeredAt": 1764374400000, "endpoints": [
          "https://orders-1.example.workers.dev",
          {"url": "https://orders-eu.example.workers.dev", "id": "eu", "region": "WEU", "continent": "EU",
           "location": {"lat": 51.5, "lon": -0.12}, "weight": 3, "insecure": false}
        ]}
        """#

    @Test("registrations decode endpoints (strings or objects) into the config model")
    func registration() throws {
        let registration = try ServiceRegistration.decode(Array(Self.registrationText.utf8), key: "service:orders")
        #expect(registration.name == "orders")
        #expect(registration.version == "1.4.0")
        #expect(registration.registeredAt == 1_764_374_400_000)
        #expect(registration.endpoints.count == 2)
        let first = try #require(registration.endpoints.first)
        #expect(first.url?.value == "https://orders-1.example.workers.dev")
        #expect(first.isShorthand)
        #expect(first.effectiveID == "https://orders-1.example.workers.dev")
        let second = try #require(registration.endpoints.last)
        #expect(second.effectiveID == "eu")
        #expect(second.region?.value == "WEU")
        #expect(second.continent?.value == "EU")
        #expect(second.location?.latitude == 51.5)
        #expect(second.location?.longitude == -0.12)
        #expect(second.weight?.value == 3)
        #expect(second.insecure?.value == false)
        #expect(second.range.length == 0 && second.url?.range.length == 0, "registered endpoints come from no file")
    }

    @Test("registrations encode endpoint objects with only the members set, and round trip")
    func registrationGolden() throws {
        let registration = try ServiceRegistration.decode(Array(Self.registrationText.utf8))
        let text = String(decoding: registration.encoded(), as: UTF8.self)
        #expect(
            text == #"{"name":"orders","version":"1.4.0","endpoints":[{"url":"https://orders-1.example.workers.dev"},"#
                + #"{"url":"https://orders-eu.example.workers.dev","id":"eu","region":"WEU","continent":"EU","#
                + #""location":{"lat":51.5,"lon":-0.12},"#
                + #""weight":3.0,"insecure":false}],"registeredAt":1764374400000}"#)
        #expect(registration.metadata() == #"{"version":"1.4.0","endpoints":2}"#)
        let again = try ServiceRegistration.decode(registration.encoded())
        #expect(again.endpoints.map(\.effectiveID) == registration.endpoints.map(\.effectiveID))
        #expect(again.endpoints.last?.location == registration.endpoints.last?.location)
        #expect(
            ServiceRegistration(name: "x", version: nil, endpoints: [], registeredAt: 1).metadata()
                == #"{"version":null,"endpoints":0}"#)
    }

    @Test("endpoints taken from a config file encode like registered ones")
    func fromConfig() throws {
        let config = S.config(
            #"{"services": {"users": {"endpoints": [{"url": "https://u.example.com", "weight": 2}]}}}"#)
        let endpoints = try #require(config.services.first?.endpoints)
        let registration = ServiceRegistration(name: "users", version: nil, endpoints: endpoints, registeredAt: 5)
        #expect(
            String(decoding: registration.encoded(), as: UTF8.self)
                == #"{"name":"users","version":null,"endpoints":[{"url":"https://u.example.com","weight":2.0}],"#
                + #""registeredAt":5}"#
        )
    }

    @Test(
        "bad registrations are .corrupt naming the key",
        arguments: [
            ("[]", "expected a JSON object"),
            (#"{"name": "orders", "registeredAt": 1}"#, "endpoints is missing"),
            (#"{"name": "orders", "registeredAt": 1, "endpoints": {}}"#, "endpoints must be an array"),
            (#"{"name": "orders", "registeredAt": 1, "endpoints": [{"id": "x"}]}"#, "endpoints[0].url is missing"),
            (#"{"name": "orders", "registeredAt": 1, "endpoints": [7]}"#, "endpoints[0] must be an object"),
            (
                #"{"name": "orders", "registeredAt": 1, "endpoints": [{"url": "u", "weight": "heavy"}]}"#,
                "endpoints[0].weight must be a number"
            ),
            (
                #"{"name": "orders", "registeredAt": 1, "endpoints": [{"url": "u", "location": {"lat": 1}}]}"#,
                "endpoints[0].location.lon is missing"
            ),
            (#"{"name": 5, "registeredAt": 1, "endpoints": []}"#, "name must be a string"),
        ])
    func corruptRegistration(value: String, message: String) {
        #expect {
            try ServiceRegistration.decode(Array(value.utf8), key: "service:orders")
        } throws: { error in
            guard case .corrupt(let detail) = error as? RegistryError else { return false }
            return detail.hasPrefix("service:orders: ") && detail.contains(message)
        }
    }

    @Test("the deployed config carries the SHA-256 hex of its text and the deploy time")
    func meshConfig() throws {
        let record = MeshConfigRecord(text: "abc", deployedAt: 1_764_374_400_000)
        #expect(record.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            record.metadata()
                == #"{"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","#
                + #""deployedAt":1764374400000}"#
        )
        #expect(record.value == Array("abc".utf8))
        #expect(try MeshConfigRecord.decode(value: record.value, metadata: record.metadata()) == record)
        let bare = try MeshConfigRecord.decode(value: Array("{}".utf8), metadata: nil)
        #expect(bare.deployedAt == nil)
        #expect(bare.sha256 == MeshConfigRecord.digest(of: Array("{}".utf8)))
    }

    @Test(
        "a deployed config that does not match its digest, is not UTF-8 or has bad metadata is .corrupt",
        arguments: [
            ([0x61, 0x62, 0x63], #"{"sha256":"00","deployedAt":1}"#, "does not match"),
            ([0xFF, 0xFE], nil, "not UTF-8"),
            ([0x61], "not json", "metadata: the value is not JSON"),
            ([0x61], #"{"deployedAt":"now"}"#, "deployedAt must be an integer"),
        ] as [([UInt8], String?, String)])
    func corruptConfig(value: [UInt8], metadata: String?, message: String) {
        #expect {
            try MeshConfigRecord.decode(value: value, metadata: metadata)
        } throws: { error in
            guard case .corrupt(let detail) = error as? RegistryError else { return false }
            return detail.hasPrefix("mesh:config") && detail.contains(message)
        }
    }
}
