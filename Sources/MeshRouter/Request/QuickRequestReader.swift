import MeshSyntax

/// Reads a request in one pass over its bytes, for the shape hosts send on every request:
/// `JSON.stringify` of `{method, url, headers, cf}` with string values, ASCII text and no
/// escapes. ``RequestJSON`` tries it first; the general reader (the strict JSON reader and
/// its messages) answers everything else.
///
/// Its contract is to give up, not to judge: it answers nil for anything outside that shape
/// (an escape, a non-ASCII or control byte, a key it does not know, a key twice in one
/// object, a value of another kind, anything but JSON whitespace between tokens, bytes after
/// the object), so that what it does answer is what the general reader gives for the same
/// bytes. `RequestJSONTests` holds it to that on random and mutated requests. Building the
/// parser's tree cost most of a wasm decision (docs/edge.md).
struct QuickRequestReader {
    /// What the general reader hands ``RouteRequest/make(method:url:headers:cf:)``.
    struct Parts {
        var method = "GET"
        var url = ""
        var headers: [(String, String)] = []
        var cf = GeoContext()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The parts of the request in `bytes`, or nil when the general reader must answer.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Parts? {
        var reader = QuickRequestReader(bytes)
        return reader.request()
    }

    private mutating func request() -> Parts? {
        var parts = Parts()
        var seen: (method: Bool, url: Bool, headers: Bool, cf: Bool) = (false, false, false, false)
        let complete = members { key, reader in
            if reader.matches(key, "url") {
                guard !seen.url else { return false }
                seen.url = true
                // A null URL is the general reader's "needs a url" message.
                guard let url = reader.string() else { return false }
                parts.url = url
            } else if reader.matches(key, "method") {
                guard !seen.method else { return false }
                seen.method = true
                if reader.null() { return true }
                guard let method = reader.string() else { return false }
                parts.method = method
            } else if reader.matches(key, "headers") {
                guard !seen.headers else { return false }
                seen.headers = true
                if reader.null() { return true }
                guard let headers = reader.headers() else { return false }
                parts.headers = headers
            } else if reader.matches(key, "cf") {
                guard !seen.cf else { return false }
                seen.cf = true
                if reader.null() { return true }
                guard let cf = reader.geo() else { return false }
                parts.cf = cf
            } else {
                return false
            }
            return true
        }
        skipWhitespace()
        guard complete, seen.url, index == bytes.count else { return nil }
        return parts
    }

    /// `request.headers`: string values, `null` ones left out, names kept as written (the
    /// same name twice in one object is the general reader's to judge).
    private mutating func headers() -> [(String, String)]? {
        var headers: [(String, String)] = []
        var names: [Range<Int>] = []
        let complete = members { name, reader in
            // Headers are few; a name is compared with each one before it.
            for earlier in names where reader.bytes[earlier].elementsEqual(reader.bytes[name]) { return false }
            names.append(name)
            if reader.null() { return true }
            guard let value = reader.string() else { return false }
            headers.append((reader.text(name), value))
            return true
        }
        return complete ? headers : nil
    }

    /// `request.cf`: the three codes as strings, the coordinates as numbers or strings
    /// holding one.
    private mutating func geo() -> GeoContext? {
        var colo: String?
        var country: String?
        var continent: String?
        var latitude: Double?
        var longitude: Double?
        var seen = 0
        let complete = members { key, reader in
            let field: Int
            if reader.matches(key, "colo") {
                field = 0
            } else if reader.matches(key, "country") {
                field = 1
            } else if reader.matches(key, "continent") {
                field = 2
            } else if reader.matches(key, "latitude") {
                field = 3
            } else if reader.matches(key, "longitude") {
                field = 4
            } else {
                return false
            }
            guard seen & (1 << field) == 0 else { return false }
            seen |= 1 << field
            if reader.null() { return true }
            switch field {
            case 0:
                colo = reader.string()
                return colo != nil
            case 1:
                country = reader.string()
                return country != nil
            case 2:
                continent = reader.string()
                return continent != nil
            case 3:
                latitude = reader.coordinate()
                return latitude != nil
            default:
                longitude = reader.coordinate()
                return longitude != nil
            }
        }
        guard complete else { return nil }
        return GeoContext(colo: colo, country: country, continent: continent, latitude: latitude, longitude: longitude)
    }

    /// Reads `{"key": value, ...}`, calling `member` with each key's bytes (a range of
    /// ``bytes``, between the quotes) once the reader stands on its value; `member` reads the
    /// value and answers false to give up.
    private mutating func members(_ member: (Range<Int>, inout QuickRequestReader) -> Bool) -> Bool {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard let key = stringRange() else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(key, &self) else { return false }
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return true }
            guard take(UInt8(ascii: ",")) else { return false }
        }
    }

    /// Whether the bytes in `range` spell `name`.
    private func matches(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return bytes[range].elementsEqual(expected)
    }

    /// The bytes in `range` as text (ASCII, checked by ``stringRange()``).
    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A string of printable ASCII without escapes.
    private mutating func string() -> String? {
        stringRange().map(text)
    }

    /// Where a string of printable ASCII without escapes lies, between its quotes; the
    /// reader moves past the closing quote.
    private mutating func stringRange() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// A finite coordinate: a JSON number, or a string holding one (``JSONNumber``).
    private mutating func coordinate() -> Double? {
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            return string().flatMap(JSONNumber.value(of:)).flatMap { $0.isFinite ? $0 : nil }
        }
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber.value(of: text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// Takes `null`, if it is next.
    private mutating func null() -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                || bytes[index] == 0x09
        {
            index += 1
        }
    }

    /// The bytes a JSON number is written with.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }
}
