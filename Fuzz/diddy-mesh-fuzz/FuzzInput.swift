/// How one fuzz input is turned into a client session.
///
/// The first byte is a control byte, the rest is the raw byte stream the client sends.
/// The control byte lets the fuzzer choose, with one mutation, the situations that bytes
/// alone reach only rarely: a session that is already initialized (so that requests reach
/// the handlers instead of "not initialized"), a document already open, the position
/// encoding, the chunking of the stream (framing must not depend on where reads split),
/// and whether push diagnostics are throttled. It also chooses who frames the messages:
/// the input itself (raw mode, which fuzzes the framing), or the harness (framed mode, in
/// which a mutation that changes a body's length does not break the `Content-Length` in
/// front of it, so mutated JSON reaches dispatch).
///
/// - bits 0-1: the session prefix (``SessionPrefix``): none, `initialize`, `initialize`
///   plus `didOpen` of a sample config (UTF-16), the same with UTF-8 positions.
/// - bits 2-4: the read size, an index into ``chunkSizes``.
/// - bit 5: an analysis interval of a millisecond for push diagnostics instead of none.
/// - bit 6: framed mode: the rest of the input is message bodies separated by NUL bytes
///   (which JSON text never contains), each given a correct `Content-Length` header.
/// - bit 7: unused (kept so that mutating it is harmless).
struct FuzzInput: Sendable {
    /// Read sizes; 0 means the whole stream in one read.
    static let chunkSizes = [0, 1, 2, 3, 7, 13, 64, 512]

    /// The bytes the server reads, prefix included.
    let stream: [UInt8]
    /// The size of each read (0: one read).
    let chunkSize: Int
    /// Whether push diagnostics are analysed at most once a millisecond per document.
    let throttled: Bool

    init(_ bytes: some Collection<UInt8>) {
        guard let control = bytes.first else {
            stream = []
            chunkSize = 0
            throttled = false
            return
        }
        let prefix = SessionPrefix(rawValue: control & 0b11) ?? .none
        let rest = Array(bytes.dropFirst())
        if control & 0b100_0000 != 0 {
            stream = prefix.bytes + rest.split(separator: 0).flatMap { SessionPrefix.frame($0) }
        } else {
            stream = prefix.bytes + rest
        }
        chunkSize = Self.chunkSizes[Int((control >> 2) & 0b111)]
        throttled = control & 0b10_0000 != 0
    }

    /// The stream split into reads of ``chunkSize`` bytes.
    var chunks: [[UInt8]] {
        guard chunkSize > 0, stream.count > chunkSize else { return stream.isEmpty ? [] : [stream] }
        return stride(from: 0, to: stream.count, by: chunkSize).map {
            Array(stream[$0..<min(stream.count, $0 + chunkSize)])
        }
    }
}
