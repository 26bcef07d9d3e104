import Foundation
import Testing

@testable import MeshRegistry

/// The cloudflare backend's wire details without a server: encoding, retry-after, the form
/// body, envelopes, and the deadline that does not wait for a stuck operation.
struct CloudflareWireFormatTests {
    @Test(arguments: [
        ("abc-._~XYZ09", "abc-._~XYZ09"),
        ("health:svc:ep", "health%3Asvc%3Aep"),
        ("a/b?c#d%e f+g&h=", "a%2Fb%3Fc%23d%25e%20f%2Bg%26h%3D"),
        ("é☃", "%C3%A9%E2%98%83"),
        ("", ""),
    ])
    func percentEncodingKeepsOnlyUnreserved(input: String, expected: String) {
        #expect(CloudflareWireFormat.query([(input, input)]) == expected + "=" + expected)
    }

    @Test func retryAfterSecondsAndDates() throws {
        let now = Date(timeIntervalSince1970: 784_111_777) // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(CloudflareWireFormat.retryAfterSeconds("2", now: now) == 2)
        #expect(CloudflareWireFormat.retryAfterSeconds(" 1.5 ", now: now) == 1.5)
        // A hostile or broken header cannot push arithmetic or messages past their range.
        #expect(CloudflareWireFormat.retryAfterSeconds("1e300", now: now) == CloudflareWireFormat.maximumRetryAfter)
        #expect(RegistryError.rateLimited(retryAfter: 1e300).description == "rate limited by the KV API")
        #expect(RegistryError.rateLimited(retryAfter: 2.2).description == "rate limited by the KV API; retry after 3 s")
        #expect(CloudflareWireFormat.retryAfterSeconds("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == 10)
        #expect(
            CloudflareWireFormat.retryAfterSeconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0,
            "a past date means now")
        #expect(CloudflareWireFormat.retryAfterSeconds("-3", now: now) == nil)
        #expect(CloudflareWireFormat.retryAfterSeconds("soon", now: now) == nil)
        #expect(CloudflareWireFormat.retryAfterSeconds(nil, now: now) == nil)
        #expect(CloudflareWireFormat.retryAfterSeconds("inf", now: now) == nil)
    }

    @Test func multipartBodyHasBothPartsInOrder() {
        let form = CloudflareMultipart(value: [0x61, 0x0D, 0x0A], metadata: #"{"s":"healthy"}"#, boundary: "XyZ")
        #expect(form.contentType == "multipart/form-data; boundary=XyZ")
        let expected =
            "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"value\"; filename=\"value\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n"
            + "a\r\n\r\n"
            + "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"metadata\"\r\n\r\n"
            + "{\"s\":\"healthy\"}\r\n"
            + "--XyZ--\r\n"
        #expect(form.body == Array(expected.utf8))
    }

    @Test func randomBoundaryNeverOccursInTheValue() {
        for _ in 0..<20 {
            let form = CloudflareMultipart(value: Array("--diddy-mesh-".utf8), metadata: "{}")
            let boundary = String(form.contentType.dropFirst("multipart/form-data; boundary=".count))
            #expect(boundary.hasPrefix("diddy-mesh-") && boundary.count == 43)
        }
    }

    @Test func envelopeMessagesJoinCodesAndMessages() {
        let body = Array(
            (#"{"success":false,"errors":[{"code":10009,"message":"get: 'key not found'"}],"messages":["note"],"#
                + #""result":null}"#)
                .utf8)
        #expect(CloudflareWireFormat.envelopeMessages(body) == "10009 get: 'key not found'; note")
        #expect(CloudflareWireFormat.envelopeMessages(Array("<html>".utf8)) == nil)
        #expect(
            CloudflareWireFormat.envelopeMessages(Array(#"{"success":true,"errors":[],"messages":[]}"#.utf8)) == nil)
    }

    @Test func envelopeMessagesRedactBeforeCapping() {
        // The token straddles the 300-character cap: redacting after the cut would leave
        // its first half in the message.
        let secret = "SECRETSECRETSECRET"
        let message = String(repeating: "x", count: 290) + secret + String(repeating: "y", count: 50)
        let body = Array(#"{"errors":[{"message":"\#(message)"}]}"#.utf8)
        let text = CloudflareWireFormat.envelopeMessages(body, redact: CloudflareToken(secret).redact) ?? ""
        #expect(!text.contains("SECRET"))
        #expect(text.count <= 301)
    }

    @Test func listingParsesKeysMetadataAndTheLastCursor() throws {
        let body = Array(
            #"""
            {"success":true,"errors":[],"messages":[],"result":[
              {"name":"health:a:1","expiration":1764374460,"metadata":{"s":"healthy","t":1,"l":2.5,"c":"closed"}},
              {"name":"health:a:2"}],
             "result_info":{"count":2,"cursor":""}}
            """#.utf8)
        let page = try CloudflareListing.page(from: body, label: "GET keys")
        #expect(
            page.keys == [
                KVKey(
                    name: "health:a:1", expiration: 1_764_374_460,
                    metadata: #"{"s":"healthy","t":1,"l":2.5,"c":"closed"}"#),
                KVKey(name: "health:a:2"),
            ])
        #expect(page.cursor == nil, "an empty cursor is the last page")
        let more = try CloudflareListing.page(
            from: Array(#"{"success":true,"result":[],"result_info":{"cursor":"abc"}}"#.utf8), label: "GET keys")
        #expect(more.cursor == "abc")
        #expect(throws: RegistryError.self) { try CloudflareListing.page(from: Array("[]".utf8), label: "GET keys") }
        #expect(throws: RegistryError.self) {
            try CloudflareListing.page(from: Array(#"{"result":[{"nom":1}]}"#.utf8), label: "GET keys")
        }
    }

    @Test func deadlineDoesNotWaitForAnOperationThatIgnoresCancellation() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: CloudflareDeadline.Expired.self) {
            try await CloudflareDeadline.run(within: .milliseconds(200)) {
                // Resumes after 3 s whatever happens: cancellation is not looked at.
                await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 3) { continuation.resume(returning: 1) }
                }
            }
        }
        #expect(clock.now - start < .seconds(1))
    }

    @Test func deadlinePassesResultsAndErrorsThrough() async throws {
        #expect(try await CloudflareDeadline.run(within: .seconds(5)) { 42 } == 42)
        await #expect(throws: RegistryError.timeout("x")) {
            try await CloudflareDeadline.run(within: .seconds(5)) { () async throws -> Int in
                throw RegistryError.timeout("x")
            }
        }
    }

    @Test func deadlineEndsWhenTheCallerIsCancelled() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task {
            try await CloudflareDeadline.run(within: .seconds(30)) {
                await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 3) { continuation.resume(returning: 1) }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.now - start < .seconds(1))
    }
}
