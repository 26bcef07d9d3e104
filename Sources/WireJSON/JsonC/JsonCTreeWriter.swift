import CJSONC

/// Builds a json-c tree from a ``JSONValue`` and prints it with json-c's serializer.
///
/// The build keeps its own stack instead of recursing, for the same reason as
/// ``JsonCTreeReader``; json-c's printer itself still recurses once per level.
enum JsonCTreeWriter {
    /// The JSON text of `value`, copied out before the json-c tree is released.
    static func text(of value: JSONValue, pretty: Bool) -> String {
        let tree = makeTree(value)
        defer { json_object_put(tree) }
        // SPACED adds the space after `:` that conventional 2-space pretty JSON has; on
        // its own PRETTY prints `"a":1`. Slashes stay unescaped because `\/` only adds noise.
        let layout = pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN
        var length = 0
        guard let text = json_object_to_json_string_length(tree, layout | JSON_C_TO_STRING_NOSLASHESCAPE, &length)
        else {
            // Only an allocation failure inside json-c gets here; an empty string is
            // invalid JSON, so a consumer notices instead of reading a wrong value.
            return ""
        }
        return text.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// A new json-c tree owned by the caller; NULL stands for JSON `null`.
    private static func makeTree(_ value: JSONValue) -> OpaquePointer? {
        let root = JsonCScalar.make(value)
        guard let root, let first = PendingChildren(of: value, in: root) else { return root }
        // Each container is attached to its parent as soon as it exists, so the stack
        // only holds borrowed pointers and the root owns everything built so far.
        var pending = [first]
        while var top = pending.popLast() {
            guard let (key, child) = top.next() else { continue }
            pending.append(top)
            let made = JsonCScalar.make(child)
            guard attach(made, to: top.container, key: key), let made,
                let children = PendingChildren(of: child, in: made)
            else { continue }
            pending.append(children)
        }
        return root
    }

    /// Adds `child` to an array (`key == nil`) or object; on failure json-c leaves the
    /// child with us, so it is released here and `false` is returned.
    private static func attach(_ child: OpaquePointer?, to container: OpaquePointer, key: String?) -> Bool {
        let status =
            if let key {
                JsonCKey.storable(key).withCString { json_object_object_add(container, $0, child) }
            } else {
                json_object_array_add(container, child)
            }
        if status != 0 {
            json_object_put(child)
            return false
        }
        return true
    }
}

/// The children of one json-c container that still have to be built and attached.
private struct PendingChildren {
    /// The container, borrowed: its parent (or the caller, for the root) owns it.
    let container: OpaquePointer
    private let elements: [JSONValue]
    private let members: [(key: String, value: JSONValue)]
    private let isObject: Bool
    private var position = 0

    /// The children of `value` when it is a non-empty container, else `nil`.
    init?(of value: JSONValue, in container: OpaquePointer) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            self.elements = elements
            members = []
            isObject = false
        case .object(let object) where !object.isEmpty:
            elements = []
            members = Array(object)
            isObject = true
        default:
            return nil
        }
        self.container = container
    }

    /// The next child with its key (`nil` inside arrays), or `nil` when all were handed out.
    mutating func next() -> (key: String?, value: JSONValue)? {
        defer { position += 1 }
        if isObject {
            return position < members.count ? (members[position].key, members[position].value) : nil
        }
        return position < elements.count ? (nil, elements[position]) : nil
    }
}

/// Creates single json-c objects; containers come back empty, to be filled by the caller.
private enum JsonCScalar {
    /// A new json-c object for `value` without its children; NULL stands for JSON `null`.
    static func make(_ value: JSONValue) -> OpaquePointer? {
        switch value {
        case .null:
            return nil
        case .bool(let flag):
            return json_object_new_boolean(flag ? 1 : 0)
        case .int(let integer):
            return json_object_new_int64(integer)
        case .double(let number):
            return makeDouble(number)
        case .string(let string):
            return makeString(string)
        case .array(let elements):
            let array = json_object_new_array_ext(Int32(clamping: elements.count))
            if let array, elements.isEmpty {
                printLiterally(array, "[]")
            }
            return array
        case .object(let members):
            let object = json_object_new_object()
            if let object, members.isEmpty {
                printLiterally(object, "{}")
            }
            return object
        }
    }

    /// A double printed as Swift's shortest round-trip text, or `null` when not finite.
    ///
    /// json-c's own format is `%.17g`, which prints 0.1 as 0.10000000000000001; JSON has
    /// no spelling for NaN or infinity, so those become `null` as in JavaScript.
    private static func makeDouble(_ number: Double) -> OpaquePointer? {
        guard number.isFinite else { return nil }
        return number.description.withCString { json_object_new_double_s(number, $0) }
    }

    /// A string with every byte kept, including U+0000.
    ///
    /// json-c lengths are `int`, so a string over 2 GiB of UTF-8 would be cut there.
    private static func makeString(_ string: String) -> OpaquePointer? {
        var string = string
        return string.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { characters in
                // An empty String may have no storage address; json-c needs a valid pointer.
                guard let start = characters.baseAddress else { return json_object_new_string("") }
                return json_object_new_string_len(start, Int32(clamping: characters.count))
            }
        }
    }

    /// Makes an empty container print as `text`.
    ///
    /// json-c's pretty printer writes an empty object as `{\n  }`; conventional JSON,
    /// and every other output mode, has `{}`. The static string outlives the tree, so no
    /// delete function is needed.
    private static func printLiterally(_ container: OpaquePointer, _ text: StaticString) {
        json_object_set_serializer(
            container, json_object_userdata_to_json_string,
            UnsafeMutableRawPointer(mutating: UnsafeRawPointer(text.utf8Start)), nil)
    }
}

/// Object keys as json-c can store them.
private enum JsonCKey {
    /// The key with U+0000 written as U+FFFD.
    ///
    /// json-c keys are C strings, so U+0000 would cut the key short (and could merge it
    /// with another). Parsing never yields such keys.
    static func storable(_ key: String) -> String {
        guard key.utf8.contains(0) else { return key }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: key.unicodeScalars.lazy.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })
        return String(scalars)
    }
}
