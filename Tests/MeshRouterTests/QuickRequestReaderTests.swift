import MeshTestSupport
import Testing

@testable import MeshRouter

/// `QuickRequestReader` gives up rather than judge: whatever it reads, `RequestJSON.parse`
/// must answer exactly as the general reader (the strict parser's tree) does, request or
/// refusal. Random requests mix every member with values of every kind, escapes, non-ASCII
/// text, unknown and repeated keys and odd whitespace, and some are cut or have a byte
/// changed.
@Suite("QuickRequestReader")
struct QuickRequestReaderTests {
    // Each list starts with what hosts send and ends with what only the general reader
    // reads; `pick` draws from the first `common` values most of the time.
    static let methods = [#""GET""#, #""post""#, "null", #""GE T""#, "5", #""D\u0045L""#]
    static let urls = [
        #""https://x.example/a/b?c=1""#, #""http://H:8080/..//x/./y""#, #""ftp://x.example/""#, #""""#, "null",
        #""https://x.example/caf\#u{E9}""#, #""https:\/\/x.example\/e""#, #"" https://x.example/%2e/""#, "[]",
    ]
    static let headerNames = [
        #""accept""#, #""Accept""#, #""x-a""#, #""X-A""#, #""a b""#, #""cookie""#, #""x-\u0041""#, #""\#u{E9}""#,
    ]
    static let headerValues = [
        #""1""#, #"" v ""#, #""a\"b""#, "null", "5", #""\#u{E9}t\#u{E9}""#, #""s=1; t=2""#, "{}",
    ]
    static let geoKeys = [#""colo""#, #""country""#, #""continent""#, #""latitude""#, #""longitude""#, #""city""#]
    static let geoValues = [
        #""FRA""#, #""de""#, "50.11", "-8", #""50.1""#, #"" 1 ""#, #""+1""#, #""nan""#, "1e999", "null", "5",
        "01", "-", "1.5e3", #""0x10""#, "true",
    ]
    static let spaces = ["", " ", "\n", "\t ", "\r\n", "\u{0C}", "/**/"]

    struct Draw {
        var random: SplitMix

        /// One of `values`: nine times in ten one of the first `common`, else any.
        mutating func pick(_ values: [String], common: Int = 3) -> String {
            values[random.next(below: chance(90) ? min(common, values.count) : values.count)]
        }
        mutating func chance(_ percent: Int) -> Bool { random.next(below: 100) < percent }

        /// `{key: value, ...}` with whitespace drawn around every token.
        mutating func object(_ members: [(String, String)]) -> String {
            var text = pick(QuickRequestReaderTests.spaces, common: 5) + "{"
            for (position, member) in members.enumerated() {
                if position > 0 { text += pick(QuickRequestReaderTests.spaces, common: 5) + "," }
                text +=
                    pick(QuickRequestReaderTests.spaces, common: 5) + member.0
                    + pick(QuickRequestReaderTests.spaces, common: 5) + ":"
                text +=
                    pick(QuickRequestReaderTests.spaces, common: 5) + member.1
                    + pick(QuickRequestReaderTests.spaces, common: 5)
            }
            return text + "}" + pick(QuickRequestReaderTests.spaces, common: 5)
        }

        mutating func request() -> String {
            var members: [(String, String)] = []
            if chance(60) { members.append((#""method""#, pick(QuickRequestReaderTests.methods))) }
            if chance(95) { members.append((#""url""#, pick(QuickRequestReaderTests.urls, common: 2))) }
            if chance(70) {
                let headers = (0..<random.next(below: 3)).map { _ in
                    (
                        pick(QuickRequestReaderTests.headerNames, common: 4),
                        pick(QuickRequestReaderTests.headerValues, common: 2)
                    )
                }
                members.append((#""headers""#, chance(5) ? "null" : object(headers)))
            }
            if chance(60) {
                let fields = (0..<random.next(below: 3)).map { _ in
                    (
                        pick(QuickRequestReaderTests.geoKeys, common: 5),
                        pick(QuickRequestReaderTests.geoValues, common: 5)
                    )
                }
                members.append((#""cf""#, object(fields)))
            }
            if chance(5) { members.append((#""extra""#, "1")) }
            if chance(5), let first = members.first { members.append(first) }
            return object(members.shuffledDeterministically(&random))
        }
    }

    @Test("what the quick reader reads, the general reader reads the same; the rest falls through")
    func agreesWithTheGeneralReader() {
        var draw = Draw(random: SplitMix(seed: 0x0C1C))
        var quick = 0
        var mismatches = 0
        let total = 30_000
        for round in 0..<total {
            var bytes = Array(draw.request().utf8)
            if round % 3 == 2, !bytes.isEmpty {
                // A third are damaged: cut short, or one byte changed.
                let at = draw.random.next(below: bytes.count)
                if draw.chance(50) {
                    bytes.removeSubrange(at...)
                } else {
                    let replacements = Array(#"{}[]",:\ 0n-.é"#.utf8)
                    bytes[at] = replacements[draw.random.next(below: replacements.count)]
                }
            }
            if bytes.withUnsafeBufferPointer(QuickRequestReader.read) != nil { quick += 1 }
            let answered = RequestJSON.parse(bytes)
            let general = RequestJSON.parseTree(bytes)
            if answered != general, mismatches < 5 {
                mismatches += 1
                Issue.record("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(answered) != \(general)")
            }
        }
        // Both paths are exercised: the quick one on many requests, the general one on others.
        #expect(quick > total / 10, "the quick reader read \(quick) of \(total)")
        #expect(quick < total * 9 / 10, "the quick reader read \(quick) of \(total)")
    }

    @Test("the shape a Worker sends is read by the quick reader")
    func workerShape() throws {
        let text =
            #"{"method":"GET","url":"https://api.shop.example/api/users/42","headers":{"cookie":"session=a1"},"#
            + #""cf":{"colo":"FRA","country":"DE","continent":"EU","latitude":"50.11","longitude":null}}"#
        let parts = try #require(Array(text.utf8).withUnsafeBufferPointer(QuickRequestReader.read))
        #expect(parts.url == "https://api.shop.example/api/users/42")
        #expect(parts.headers.map { [$0.0, $0.1] } == [["cookie", "session=a1"]])
        #expect(parts.cf == GeoContext(colo: "FRA", country: "DE", continent: "EU", latitude: 50.11))
        #expect(RequestJSON.parse(Array(text.utf8)) == RequestJSON.parseTree(Array(text.utf8)))
    }
}

extension Array {
    /// The elements in an order drawn from `random` (Fisher-Yates), so a seed reproduces it.
    fileprivate func shuffledDeterministically(_ random: inout SplitMix) -> [Element] {
        var result = self
        for index in result.indices.reversed() where index > 0 {
            result.swapAt(index, random.next(below: index + 1))
        }
        return result
    }
}
