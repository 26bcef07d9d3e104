import Foundation
import WAT

/// A stand-in for the edge router written in WebAssembly text and assembled by WasmKit's WAT,
/// so each test states in a few lines exactly how the module misbehaves: every export of the
/// ABI is there with its type, and each body can be replaced.
///
/// By default the module answers status 0 and echoes: `mesh_load` and `mesh_route` leave the
/// bytes they were given as the answer, so a test can read back what the host copied in, and
/// `mesh_ref` answers the ref it was given as the one byte at address 1023.
struct FakeEdgeRouter {
    /// The body of `mesh_route (param i32 i32) (result i32)`.
    var route = "(global.set $out (local.get 0)) (global.set $len (local.get 1)) (i32.const 0)"
    /// The body of `mesh_output_ptr (result i32)` and of `mesh_output_len (result i32)`.
    var outputPointer = "(global.get $out)"
    var outputLength = "(global.get $len)"
    /// The body of `malloc (param i32) (result i32)`: one fixed block at 4096 by default.
    var malloc = "(i32.const 4096)"
    /// Bytes placed at address 1024, for answers a test fixes in advance.
    var data = ""
    /// Extra module fields (an import, another export).
    var extra = ""

    var text: String {
        """
        (module
          \(extra)
          (memory (export "memory") 1)
          (global $out (mut i32) (i32.const 0))
          (global $len (mut i32) (i32.const 0))
          (data (i32.const 1024) "\(data)")
          (func (export "malloc") (param i32) (result i32) \(malloc))
          (func (export "free") (param i32))
          (func (export "mesh_load") (param i32 i32) (result i32)
            (global.set $out (local.get 0)) (global.set $len (local.get 1)) (i32.const 0))
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
    func wasm() throws -> [UInt8] {
        try wat2wasm(text)
    }

    /// A `mesh_route` that answers `status` with `answer`, placed at 1024 by ``data``.
    static func answering(_ status: Int32, _ answer: String) -> FakeEdgeRouter {
        var fake = FakeEdgeRouter()
        fake.data = answer.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        fake.route =
            "(global.set $out (i32.const 1024)) (global.set $len (i32.const \(answer.utf8.count))) "
            + "(i32.const \(status))"
        return fake
    }
}
