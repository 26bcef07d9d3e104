/// Number formatting for trace reasons. The router imports no Foundation, and reasons must
/// read the same on every platform, so the few formats it needs are written out here.
enum SelectionText {
    /// `value` with exactly `digits` decimals (`0.4213`), rounded half away from zero.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let places = max(0, min(digits, 9))
        // Int64, not Int: on wasm32 an Int holds no more than 2^31, which a latency of a
        // few hundred thousand milliseconds at four decimals passes.
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        // Beyond 2^53 the decimals are meaningless; the default description is fine.
        guard scaled < 9.0e15 else { return "\(value)" }
        let units = Int64(scaled)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + String(units) }
        var fraction = String(units % scale)
        // Digits are ASCII: counting bytes is counting characters, without grapheme breaking.
        while fraction.utf8.count < places { fraction = "0" + fraction }
        return sign + String(units / scale) + "." + fraction
    }

    /// A measurement without noise: `19` for 19.0, `21.5` for 21.5 (one decimal at most).
    static func compact(_ value: Double) -> String {
        let text = fixed(value, digits: 1)
        guard text.utf8.count > 2, text.utf8.suffix(2).elementsEqual(".0".utf8) else { return text }
        return String(decoding: text.utf8.dropLast(2), as: UTF8.self)
    }
}
