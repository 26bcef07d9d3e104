/// A `multipart/form-data` body with the parts the KV write endpoint takes when metadata is
/// set: `value` (the raw bytes, as a file part) and `metadata` (JSON text, as a text field).
struct CloudflareMultipart: Sendable {
    /// The body bytes.
    let body: [UInt8]
    /// The `Content-Type` header value, boundary included.
    let contentType: String

    /// Builds the body with a random boundary that occurs in neither part, so no part's
    /// bytes can end it early (values are arbitrary binary data).
    init(value: [UInt8], metadata: String) {
        var generator = SystemRandomNumberGenerator()
        var boundary = Self.randomBoundary(using: &generator)
        while Self.contains(value, Array(boundary.utf8)) || metadata.contains(boundary) {
            boundary = Self.randomBoundary(using: &generator)
        }
        self.init(value: value, metadata: metadata, boundary: boundary)
    }

    /// Builds the body with a given boundary; for tests that compare bytes.
    init(value: [UInt8], metadata: String, boundary: String) {
        var body: [UInt8] = []
        body.reserveCapacity(value.count + metadata.utf8.count + 256)
        func line(_ text: String) { body += Array(text.utf8) + [13, 10] }
        line("--" + boundary)
        line("Content-Disposition: form-data; name=\"value\"; filename=\"value\"")
        line("Content-Type: application/octet-stream")
        line("")
        body += value
        line("")
        line("--" + boundary)
        line("Content-Disposition: form-data; name=\"metadata\"")
        line("")
        body += Array(metadata.utf8)
        line("")
        line("--" + boundary + "--")
        self.body = body
        self.contentType = "multipart/form-data; boundary=" + boundary
    }

    private static func randomBoundary(using generator: inout SystemRandomNumberGenerator) -> String {
        let digits = Array("0123456789abcdef")
        return "diddy-mesh-" + String((0..<32).map { _ in digits[Int(generator.next() % 16)] })
    }

    /// Whether `needle` occurs in `haystack`; a plain scan, boundaries are short.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }
}
