/// How many UTF-8, UTF-16 and UTF-32 units precede regular points of a non-ASCII
/// document, so that ``LineIndex`` converts a column without scanning its line.
///
/// Checkpoint `k` sits at the first character boundary at or after byte `k x stride`;
/// characters are delimited the way ``LineIndex/scalarInfo(_:at:encoding:)`` delimits them
/// (an invalid byte is a character of one unit), so counting from a checkpoint gives the
/// same numbers as counting from the start of the document.
///
/// Invariants: `offsets` is strictly increasing and starts at 0; `utf16[k]` and `utf32[k]`
/// are the units of every character that ends at or before `offsets[k]`.
struct UnitCheckpoints: Sendable {
    /// Bytes between checkpoints: a conversion scans at most this many (plus one character).
    static let stride = 512

    private var offsets: [Int] = []
    private var utf16: [Int] = []
    private var utf32: [Int] = []

    /// Counts the units of `bytes` in one pass.
    init(_ bytes: [UInt8]) {
        let capacity = bytes.count / Self.stride + 1
        offsets.reserveCapacity(capacity)
        utf16.reserveCapacity(capacity)
        utf32.reserveCapacity(capacity)
        bytes.withUnsafeBufferPointer { buffer in
            var (index, units16, units32) = (0, 0, 0)
            var next = 0
            while index < buffer.count {
                if index >= next {
                    offsets.append(index)
                    utf16.append(units16)
                    utf32.append(units32)
                    next = (index / Self.stride + 1) * Self.stride
                }
                if buffer[index] < 0x80 {
                    (index, units16, units32) = (index + 1, units16 + 1, units32 + 1)
                    continue
                }
                let (length, units) = LineIndex.scalarInfo(buffer, at: index, encoding: .utf16)
                (index, units16, units32) = (index + length, units16 + units, units32 + 1)
            }
        }
        if offsets.isEmpty { (offsets, utf16, utf32) = ([0], [0], [0]) }
    }

    /// The units of every character that ends at or before `offset` (a character that
    /// `offset` falls inside does not count, so its start and its inside convert alike).
    func units(before offset: Int, in buffer: UnsafeBufferPointer<UInt8>, encoding: PositionEncoding) -> Int {
        let checkpoint = last(where: { offsets[$0] <= offset })
        var index = offsets[checkpoint]
        var units = count(at: checkpoint, encoding)
        while index < offset {
            let (length, scalarUnits) = LineIndex.scalarInfo(buffer, at: index, encoding: encoding)
            if index + length > offset { break }
            units += scalarUnits
            index += length
        }
        return units
    }

    /// The offset in `content` (which starts at a character boundary) at which `target`
    /// units have been counted, stopping at a character that would pass it and at the
    /// content's end.
    func offset(
        ofUnits target: Int, within content: ByteRange, in buffer: UnsafeBufferPointer<UInt8>,
        encoding: PositionEncoding
    ) -> Int {
        var index = content.start
        var units = units(before: content.start, in: buffer, encoding: encoding)
        let checkpoint = last(where: { offsets[$0] < content.end && count(at: $0, encoding) <= target })
        if offsets[checkpoint] > index {
            (index, units) = (offsets[checkpoint], count(at: checkpoint, encoding))
        }
        while index < content.end {
            let (length, scalarUnits) = LineIndex.scalarInfo(buffer, at: index, encoding: encoding)
            if units + scalarUnits > target { break }
            units += scalarUnits
            index += length
        }
        return index
    }

    private func count(at checkpoint: Int, _ encoding: PositionEncoding) -> Int {
        switch encoding {
        case .utf8: offsets[checkpoint]
        case .utf16: utf16[checkpoint]
        case .utf32: utf32[checkpoint]
        }
    }

    /// The last checkpoint for which `isBefore` holds, given that it holds for a prefix of
    /// the checkpoints (checkpoint 0 when it holds for none).
    private func last(where isBefore: (Int) -> Bool) -> Int {
        var (low, high) = (0, offsets.count - 1)
        while low < high {
            let mid = (low + high + 1) / 2
            if isBefore(mid) { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
