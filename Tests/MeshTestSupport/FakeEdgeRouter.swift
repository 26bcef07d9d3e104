import Foundation
import WAT

/// A stand-in for the edge router written in WebAssembly text and assembled by WasmKit's WAT,
/// so each test states in a few lines exactly how the module misbehaves: every export of the
/// ABI is there with its type, and each body can be replaced.
///
/// By default the module answers status 0 and echoes: `mesh_load` and `mesh_route` leave the
/// bytes they were given as the answer, so a test can read back what the host copied in, and
/// `mesh_ref` answers the ref it was given as the one byte at address 1023. The host's tests
/// (MeshEdgeHostTests) make it misbehave; the CLI's make it a module built from other sources,
/// which decides otherwise than the CLI's router.
public struct FakeEdgeRouter: Sendable {
    /// The body of `mesh_load (param i32 i32) (result i32)`.
    public var load: String
    /// The body of `mesh_route (param i32 i32) (result i32)`.
    public var route: String
    /// The body of `mesh_output_ptr (result i32)` and of `mesh_output_len (result i32)`.
    public var outputPointer: String
    public var outputLength: String
    /// The body of `malloc (param i32) (result i32)`: one fixed block at 4096 by default.
    public var malloc: String
    /// Bytes placed at address 1024, ASCII, for answers a test fixes in advance.
    public var data: String
    /// Extra module fields (an import, another export).
    public var extra: String

    /// A body that answers status 0 with the bytes it was given.
    public static let echo = "(global.set $out (local.get 0)) (global.set $len (local.get 1)) (i32.const 0)"

    public init(
        load: String = Self.echo, route: String = Self.echo, outputPointer: String = "(global.get $out)",
        outputLength: String = "(global.get $len)", malloc: String = "(i32.const 4096)", data: String = "",
        extra: String = ""
    ) {
        self.load = load
        self.route = route
        self.outputPointer = outputPointer
        self.outputLength = outputLength
        self.malloc = malloc
        self.data = data
        self.extra = extra
    }

    /// The module in WebAssembly text.
    public var text: String {
        """
        (module
          \(extra)
          (memory (export "memory") 1)
          (global $out (mut i32) (i32.const 0))
          (global $len (mut i32) (i32.const 0))
          (data (i32.const 1024) "\(data)")
          (func (export "malloc") (param i32) (result i32) \(malloc))
          (func (export "free") (param i32))
          (func (export "mesh_load") (param i32 i32) (result i32) \(load))
          (func (export "mesh_route") (param i32 i32) (result i32) \(route))
          (func (export "mesh_ref") (param i32) (result i32)
            (i32.store8 (i32.const 1023) (local.get 0))
            (global.set $out (i32.const 1023)) (global.set $len (i32.const 1)) (i32.const 0))
          (func (export "mesh_report") (result i32) (i32.const 0))
          (func (export "mesh_reset") (result i32) (global.set $len (i32.const 0)) (i32.const 0))
          (func (export "mesh_output_ptr") (result i32) \(outputPointer))
          (func (export "mesh_output_len") (result i32) \(outputLength))
        )
        """
    }

    /// The module's bytes.
    public func wasm() throws -> [UInt8] {
        try wat2wasm(text)
    }

    /// A `mesh_route` that answers `status` with `answer`, placed at 1024 by ``data``.
    public static func answering(_ status: Int32, _ answer: String) -> FakeEdgeRouter {
        var fake = FakeEdgeRouter(data: escaped(answer))
        fake.route = answering(status, at: 1024, count: answer.utf8.count)
        return fake
    }

    /// A `mesh_load` that answers `report` and a `mesh_route` that answers `decision`, both with
    /// status 0, whatever they are given: a module that loads any plan and always decides alike.
    public static func answering(report: String, decision: String) -> FakeEdgeRouter {
        var fake = FakeEdgeRouter(data: escaped(report + decision))
        fake.load = answering(0, at: 1024, count: report.utf8.count)
        fake.route = answering(0, at: 1024 + report.utf8.count, count: decision.utf8.count)
        return fake
    }

    /// A body that answers `status` with the `count` bytes at `address`.
    private static func answering(_ status: Int32, at address: Int, count: Int) -> String {
        "(global.set $out (i32.const \(address))) (global.set $len (i32.const \(count))) (i32.const \(status))"
    }

    /// `text` as a WAT string's contents.
    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
