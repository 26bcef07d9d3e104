import CJSONC

/// Copies a json-c tree into Swift values; the tree stays owned by the caller.
///
/// The walk keeps its own stack instead of recursing, because a document nested up to
/// `maxDepth` would otherwise need a call frame per level, which debug builds on small
/// thread stacks (512 KiB) cannot afford at the default depth of 1024.
enum JsonCTreeReader {
    /// The Swift value of the json-c `root` (a NULL pointer is JSON `null`).
    static func value(of root: OpaquePointer?, strict: Bool) throws(WireJSONError) -> JSONValue {
        var open: [OpenContainer] = []
        switch try start(root, strict: strict) {
        case .complete(let value): return value
        case .open(let container): open.append(container)
        }
        // Frames are popped while being changed so their buffers stay uniquely referenced
        // and appends do not copy.
        while var top = open.popLast() {
            guard let child = top.nextChild() else {
                let finished = top.finishedValue
                guard var parent = open.popLast() else { return finished }
                parent.add(finished)
                open.append(parent)
                continue
            }
            switch try start(child, strict: strict) {
            case .complete(let value):
                top.add(value)
                open.append(top)
            case .open(let container):
                open.append(top)
                open.append(container)
            }
        }
        // Not reached: the loop returns when the root container is finished.
        return .null
    }

    /// What one json-c value turns into: a finished Swift value or a container to fill.
    private enum Start {
        case complete(JSONValue)
        case open(OpenContainer)
    }

    /// Converts a scalar, or opens a container whose children are read later.
    private static func start(_ object: OpaquePointer?, strict: Bool) throws(WireJSONError) -> Start {
        guard let object else { return .complete(.null) }
        let type = json_object_get_type(object)
        switch type {
        case json_type_null:
            return .complete(.null)
        case json_type_boolean:
            return .complete(.bool(json_object_get_boolean(object) != 0))
        case json_type_int:
            return .complete(.int(try integer(of: object)))
        case json_type_double:
            let number = json_object_get_double(object)
            // The scanner rejects these with an offset first; this is the backstop.
            if strict && !number.isFinite {
                throw WireJSONError(message: "number is outside the double range", offset: nil)
            }
            return .complete(.double(number))
        case json_type_string:
            return .complete(.string(string(of: object)))
        case json_type_array:
            return .open(OpenContainer(array: object))
        case json_type_object:
            return .open(OpenContainer(object: object))
        default:
            throw WireJSONError(message: "json-c returned unknown value type \(type.rawValue)", offset: nil)
        }
    }

    /// The integer, refusing values json-c holds as uint64 above `Int64.max`.
    ///
    /// json-c keeps 9223372036854775808...18446744073709551615 as uint64 and reports them
    /// as `Int64.max` through json_object_get_int64, which would silently change the value.
    private static func integer(of object: OpaquePointer) throws(WireJSONError) -> Int64 {
        let signed = json_object_get_int64(object)
        if signed == .max && json_object_get_uint64(object) > UInt64(Int64.max) {
            throw WireJSONError(message: "integer is outside the signed 64-bit range", offset: nil)
        }
        return signed
    }

    /// The string's bytes by length rather than up to the first NUL, so `\u0000` survives.
    ///
    /// Ill-formed UTF-8 (possible only in lenient mode) is repaired with U+FFFD.
    private static func string(of object: OpaquePointer) -> String {
        let length = Int(json_object_get_string_len(object))
        guard length > 0, let characters = json_object_get_string(object) else { return "" }
        return characters.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}

/// A json-c array or object whose children are being copied, one at a time.
///
/// One struct serves both kinds (rather than an enum with payloads) so that appending
/// to `elements` or `members` mutates in place instead of copying a bound payload.
private struct OpenContainer {
    /// The json-c container; children are lent by it, never released here.
    let source: OpaquePointer
    let isObject: Bool
    /// Array walk: the element count and the next position.
    var count = 0
    var position = 0
    var elements: [JSONValue] = []
    /// Object walk: json-c's iterator (insertion order) and the key of the child in flight.
    var iterator = json_object_iterator()
    var end = json_object_iterator()
    var members = JSONObject()
    var pendingKey = ""

    init(array: OpaquePointer) {
        source = array
        isObject = false
        count = json_object_array_length(array)
        elements.reserveCapacity(count)
    }

    init(object: OpaquePointer) {
        source = object
        isObject = true
        iterator = json_object_iter_begin(object)
        end = json_object_iter_end(object)
    }

    /// The next child (`.some(nil)` is JSON `null`), or `nil` once all were handed out.
    mutating func nextChild() -> OpaquePointer?? {
        if isObject {
            guard json_object_iter_equal(&iterator, &end) == 0 else { return nil }
            // Keys are C strings in json-c, so reading to the NUL is exact; the scanner
            // rejects keys that contained `\u0000` before json-c could cut them.
            pendingKey = json_object_iter_peek_name(&iterator).map { String(cString: $0) } ?? ""
            let child = json_object_iter_peek_value(&iterator)
            json_object_iter_next(&iterator)
            return .some(child)
        }
        guard position < count else { return nil }
        defer { position += 1 }
        return .some(json_object_array_get_idx(source, position))
    }

    /// Stores the converted value of the child last returned by ``nextChild()``.
    mutating func add(_ value: JSONValue) {
        if isObject {
            members[pendingKey] = value
        } else {
            elements.append(value)
        }
    }

    /// The container as a Swift value once every child was added.
    var finishedValue: JSONValue {
        isObject ? .object(members) : .array(elements)
    }
}
