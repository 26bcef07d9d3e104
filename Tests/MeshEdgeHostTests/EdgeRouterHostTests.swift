import Foundation
import MeshEdgeHost
import MeshRouter
import MeshTestSupport
import Testing
import WAT

/// The host against modules that are not what it expects: files that are missing, too large
/// or not WebAssembly, modules that are not the edge router, and stand-ins (``FakeEdgeRouter``)
/// that answer every status, point outside their memory, trap or never return. Each must end
/// in its own ``EdgeHostError``, never in a crash of the host.
@Suite("edge router host")
struct EdgeRouterHostTests {
    /// Small budgets, so that a module that loops is stopped in milliseconds.
    static let limits: EdgeHostLimits = {
        var limits = EdgeHostLimits()
        limits.fuelPerCall = 1_000_000
        limits.fuelPerInputByte = 10
        return limits
    }()

    /// A scratch folder, removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("edge-host-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let file = url.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            return file.path
        }
    }

    struct FileCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// The file's bytes, or nil for no file at all.
        var bytes: [UInt8]?
        var maximumModuleSize = 32 << 20
        /// What the error must be, given the path.
        var expected: @Sendable (String) -> EdgeHostError
    }

    static let fileCases: [FileCase] = [
        FileCase(testDescription: "a missing file", bytes: nil) { .moduleMissing(path: $0) },
        FileCase(testDescription: "a text file", bytes: Array("export default {}\n".utf8)) {
            .moduleInvalid(path: $0, reason: "it does not start with WebAssembly's magic bytes (\\0asm)")
        },
        FileCase(testDescription: "an empty file", bytes: []) {
            .moduleInvalid(path: $0, reason: "it does not start with WebAssembly's magic bytes (\\0asm)")
        },
        FileCase(
            testDescription: "a file over the size limit", bytes: [UInt8](repeating: 0, count: 2048),
            maximumModuleSize: 1024
        ) { .moduleTooLarge(path: $0, limit: 1024) },
    ]

    @Test("a file that is not a module is refused, naming the path", arguments: fileCases)
    func files(_ testCase: FileCase) throws {
        let scratch = try Scratch()
        let path =
            try testCase.bytes.map { try scratch.write("router.wasm", $0) }
            ?? scratch.url.appendingPathComponent("missing.wasm").path
        var limits = Self.limits
        limits.maximumModuleSize = testCase.maximumModuleSize
        let error = #expect(throws: EdgeHostError.self) { try EdgeRouterHost(contentsOf: path, limits: limits) }
        #expect(error == testCase.expected(path))
        #expect(error?.isModuleProblem == true)
    }

    @Test("a folder, and a WebAssembly header followed by garbage, are refused with the reason")
    func unreadableAndCorrupt() throws {
        let scratch = try Scratch()
        let folder = #expect(throws: EdgeHostError.self) { try EdgeRouterHost(contentsOf: scratch.url.path) }
        #expect(folder == .moduleUnreadable(path: scratch.url.path, reason: "it is a folder"))
        let path = try scratch.write("corrupt.wasm", [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0xFF, 0x42])
        let corrupt = #expect(throws: EdgeHostError.self) { try EdgeRouterHost(contentsOf: path) }
        guard case .moduleInvalid(path, let reason)? = corrupt else {
            Issue.record("expected moduleInvalid, got \(String(describing: corrupt))")
            return
        }
        #expect(!reason.isEmpty)
    }

    struct ModuleCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var wat: String
        var reason: String
    }

    static let notRouters: [ModuleCase] = [
        ModuleCase(
            testDescription: "an empty module", wat: "(module)",
            reason: "it does not export 'mesh_load'; it does not export 'mesh_route'; it does not export "
                + "'mesh_ref'; it does not export 'mesh_report'; it does not export 'mesh_reset'; it does not "
                + "export 'mesh_output_ptr'; it does not export 'mesh_output_len'; it does not export 'malloc'; "
                + "it does not export 'free'; it does not export its 'memory'"),
        ModuleCase(
            testDescription: "a module with an import",
            wat: #"(module (import "env" "now" (func (result i64))))"#,
            reason: "it needs 1 import, and the edge router needs none"),
        ModuleCase(
            testDescription: "exports of another type",
            wat: FakeEdgeRouter(
                extra: ""
            ).text.replacingOccurrences(
                of: #"(func (export "mesh_report") (result i32) (i32.const 0))"#,
                with: #"(func (export "mesh_report") (param i32) (result i32) (i32.const 0))"#
            ).replacingOccurrences(
                of: #"(memory (export "memory") 1)"#,
                with: #"(memory 1) (global (export "memory") i32 (i32.const 0))"#),
            reason: "'mesh_report' is (i32) -> i32, not () -> i32; it does not export its 'memory'"),
    ]

    @Test("a module that is not the edge router is refused with every difference", arguments: notRouters)
    func notRouter(_ testCase: ModuleCase) throws {
        let bytes = try wat2wasm(testCase.wat)
        let error = #expect(throws: EdgeHostError.self) {
            try EdgeRouterHost(module: bytes, path: "fake.wasm", limits: Self.limits)
        }
        #expect(error == .notEdgeRouter(path: "fake.wasm", reason: testCase.reason))
        #expect(error?.isModuleProblem == true)
    }

    @Test("bytes reach the module intact and the answer is copied back")
    func echo() throws {
        let host = try EdgeRouterHost(module: FakeEdgeRouter().wasm(), path: "fake.wasm", limits: Self.limits)
        let request = EdgeRequest(
            method: "POST", url: "https://x.example/ü?a=\"b\"",
            headers: [(name: "X-A", value: "1"), (name: "x-a", value: "2")],
            cf: GeoContext(colo: "fra", latitude: 50.11, longitude: -0.5))
        let answer = try host.route(request)
        // The field form (RequestFields): method, URL, colo, country, continent, latitude,
        // longitude, then each header's name and value, every field after a NUL.
        #expect(
            String(decoding: answer, as: UTF8.self)
                == "\0POST\0https://x.example/ü?a=\"b\"\0FRA\0\0\050.11\0-0.5\0X-A\01\0x-a\02")
        #expect(try host.load(plan: []) == [])
        #expect(try host.ref(7) == [7])
        #expect(host.lastFuelSpent > 0 && host.lastFuelSpent < Self.limits.fuelPerCall)
    }

    struct AnswerCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var fake: FakeEdgeRouter
        var expected: EdgeHostError
    }

    static let answers: [AnswerCase] = [
        AnswerCase(
            testDescription: "status 1 with the module's sentence",
            fake: .answering(1, #"{"error":"'x' is not an absolute URL"}"#),
            expected: .refused(.badRequest, call: "mesh_route", message: "'x' is not an absolute URL")),
        AnswerCase(
            testDescription: "status 2", fake: .answering(2, #"{"error":"no config is loaded"}"#),
            expected: .refused(.noConfig, call: "mesh_route", message: "no config is loaded")),
        AnswerCase(
            testDescription: "status 3", fake: .answering(3, #"{"error":"too long"}"#),
            expected: .refused(.tooLarge, call: "mesh_route", message: "too long")),
        AnswerCase(
            testDescription: "status 4", fake: .answering(4, #"{"error":"null pointer"}"#),
            expected: .refused(.invalidArguments, call: "mesh_route", message: "null pointer")),
        AnswerCase(
            testDescription: "a status the ABI does not define", fake: .answering(9, #"{"error":"?"}"#),
            expected: .unknownStatus(9, call: "mesh_route", message: "?")),
        AnswerCase(
            testDescription: "a refusal whose answer is not {\"error\": ...}", fake: .answering(1, "oops"),
            expected: .refused(.badRequest, call: "mesh_route", message: "(no {\"error\": ...} answer)")),
        AnswerCase(
            testDescription: "an answer that runs past the memory",
            fake: FakeEdgeRouter(outputPointer: "(i32.const 65500)", outputLength: "(i32.const 100)"),
            expected: .badAnswer(
                call: "mesh_route", reason: "it is 100 bytes at address 65500, past the 65536 bytes of memory")),
        AnswerCase(
            testDescription: "an answer at an address past 2 GiB",
            fake: FakeEdgeRouter(outputPointer: "(i32.const -16)", outputLength: "(i32.const 32)"),
            expected: .badAnswer(
                call: "mesh_route", reason: "it is 32 bytes at address 4294967280, past the 65536 bytes of memory")),
        AnswerCase(
            testDescription: "a negative length", fake: FakeEdgeRouter(outputLength: "(i32.const -1)"),
            expected: .badAnswer(call: "mesh_route", reason: "its length is negative (-1)")),
        AnswerCase(
            testDescription: "an answer over the host's limit",
            fake: FakeEdgeRouter(outputLength: "(i32.const 2147483647)"),
            expected: .badAnswer(
                call: "mesh_route", reason: "it is 2147483647 bytes long; the host reads at most 16777216")),
        AnswerCase(
            testDescription: "malloc out of memory", fake: FakeEdgeRouter(malloc: "(i32.const 0)"),
            expected: .badAnswer(call: "malloc", reason: "it returned null for 2 bytes (out of memory)")),
        AnswerCase(
            testDescription: "malloc past the memory", fake: FakeEdgeRouter(malloc: "(i32.const 65535)"),
            expected: .badAnswer(
                call: "malloc", reason: "it gave address 65535 for 2 bytes, past the 65536 bytes of memory")),
        AnswerCase(
            testDescription: "a trap", fake: FakeEdgeRouter(route: "unreachable"),
            expected: .trapped(call: "mesh_route", reason: "unreachable")),
        AnswerCase(
            testDescription: "a loop that never returns",
            fake: FakeEdgeRouter(route: "(loop $forever (br $forever)) (i32.const 0)"),
            expected: .outOfFuel(call: "mesh_route", budget: 1_000_020)),
    ]

    @Test("every status and every bad answer is its own error", arguments: answers)
    func statuses(_ testCase: AnswerCase) throws {
        let host = try EdgeRouterHost(module: testCase.fake.wasm(), path: "fake.wasm", limits: Self.limits)
        let error = #expect(throws: EdgeHostError.self) { try host.route(request: Array("{}".utf8)) }
        #expect(error == testCase.expected)
        #expect(error?.isModuleProblem == false)
    }

    @Test("after a trap or a spent budget the module is not called again; a refusal leaves it usable")
    func unusableAfterATrap() throws {
        let looping = try EdgeRouterHost(
            module: FakeEdgeRouter(route: "(loop $forever (br $forever)) (i32.const 0)").wasm(), path: "fake.wasm",
            limits: Self.limits)
        let first = #expect(throws: EdgeHostError.self) { try looping.route(request: []) }
        let second = #expect(throws: EdgeHostError.self) { try looping.load(plan: []) }
        #expect(second == .unusable(after: first?.description ?? ""))

        let refusing = try EdgeRouterHost(
            module: FakeEdgeRouter.answering(1, #"{"error":"no"}"#).wasm(), path: "fake.wasm", limits: Self.limits)
        #expect(throws: EdgeHostError.self) { try refusing.route(request: []) }
        #expect(try refusing.load(plan: Array("{}".utf8)) == Array("{}".utf8))
    }

    @Test("mesh_set_health is used when the module has it, and its absence is said plainly")
    func setHealth() throws {
        let echo =
            #"(func (export "mesh_set_health") (param i32 i32) (result i32)"#
            + " (global.set $out (local.get 0)) (global.set $len (local.get 1)) (i32.const 0))"
        let current = try EdgeRouterHost(
            module: FakeEdgeRouter(extra: echo).wasm(), path: "new.wasm", limits: Self.limits)
        #expect(current.takesHealth)
        #expect(try current.setHealth(Array(#"{"now":1}"#.utf8)) == Array(#"{"now":1}"#.utf8))

        let older = try EdgeRouterHost(module: FakeEdgeRouter().wasm(), path: "old.wasm", limits: Self.limits)
        #expect(!older.takesHealth)
        let missing = #expect(throws: EdgeHostError.self) { try older.setHealth(Array("{}".utf8)) }
        #expect(
            missing
                == .notEdgeRouter(
                    path: "old.wasm",
                    reason: "it does not export 'mesh_set_health': it was built before the ABI took live health"))

        let mistyped = #"(func (export "mesh_set_health") (param i32) (result i32) (i32.const 0))"#
        let wrong = #expect(throws: EdgeHostError.self) {
            try EdgeRouterHost(module: FakeEdgeRouter(extra: mistyped).wasm(), path: "odd.wasm", limits: Self.limits)
        }
        #expect(
            wrong
                == .notEdgeRouter(path: "odd.wasm", reason: "'mesh_set_health' is (i32) -> i32, not (i32, i32) -> i32"))
    }

    @Test("an input over the host's limit is not copied in")
    func inputTooLarge() throws {
        var limits = Self.limits
        limits.maximumInputSize = 8
        let host = try EdgeRouterHost(module: FakeEdgeRouter().wasm(), path: "fake.wasm", limits: limits)
        let error = #expect(throws: EdgeHostError.self) { try host.load(plan: Array("{\"a\": 1234}".utf8)) }
        #expect(error == .inputTooLarge(what: "route plan", size: 11, limit: 8))
    }

    @Test("the fuel budget grows with the input and saturates")
    func fuelBudget() {
        var limits = EdgeHostLimits()
        limits.fuelPerCall = 100
        limits.fuelPerInputByte = 3
        #expect(limits.fuel(forInput: 0) == 100)
        #expect(limits.fuel(forInput: 10) == 130)
        limits.fuelPerInputByte = .max / 2
        #expect(limits.fuel(forInput: 4) == .max)
    }
}
