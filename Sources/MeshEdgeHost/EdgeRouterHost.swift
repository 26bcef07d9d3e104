import MeshRouter
import WasmKit

/// The edge router's `.wasm` (edge/README.md), run on WasmKit: the exact artifact a Worker
/// deploys, asked the questions `diddy-mesh route` asks the native router.
///
/// ```swift
/// let host = try EdgeRouterHost(contentsOf: EdgeRouterHost.defaultModulePath)
/// let report = try host.load(plan: planBytes)          // {"errors": 0, ...}
/// let decision = try host.route(EdgeRequest(url: "https://api.shop.example/api/users/42"))
/// let named = try host.ref(0)                          // what the decision's "ref" names
/// ```
///
/// The module is instantiated with no imports; each call copies its input into memory the
/// module's `malloc` gives, calls one export with a fuel budget (``EdgeHostLimits``), frees
/// the input, and copies the answer out of `mesh_output_ptr` for `mesh_output_len` bytes
/// after checking that both lie inside the module's memory. A status other than 0 is thrown
/// as ``EdgeHostError/refused(_:call:message:)`` with the module's sentence. A trap, or a
/// call that runs out of fuel, leaves the module's memory in an unknown state, so the host
/// refuses every call after it (``EdgeHostError/unusable(after:)``).
///
/// The router's state carries from one decision to the next, as in a Worker isolate. The
/// module runs one call at a time and its store belongs to one thread, so a host is not
/// `Sendable`: keep it where it was made.
public final class EdgeRouterHost {
    /// Where `make wasm` writes the module, relative to the repository root.
    public static let defaultModulePath = ".build/wasm/diddy-mesh-router.wasm"

    /// The path the module was read from, as messages name it.
    public let path: String
    /// The bounds in force.
    public let limits: EdgeHostLimits
    private let store: Store
    private let exports: EdgeExports
    /// Why the module is no longer called, once a call trapped.
    private var failure: String?
    /// The fuel the last call spent (about one unit per WebAssembly instruction): what a
    /// decision costs, and how far below its budget it ran.
    public private(set) var lastFuelSpent: UInt64 = 0

    /// Reads the module at `path` (at most ``EdgeHostLimits/maximumModuleSize`` bytes) and
    /// instantiates it.
    public convenience init(contentsOf path: String, limits: EdgeHostLimits = EdgeHostLimits()) throws(EdgeHostError) {
        let bytes = try ModuleFile.read(path, limit: limits.maximumModuleSize).get()
        try self.init(module: bytes, path: path, limits: limits)
    }

    /// Instantiates the module in `bytes`; `path` names it in messages.
    public init(module bytes: [UInt8], path: String, limits: EdgeHostLimits = EdgeHostLimits()) throws(EdgeHostError) {
        guard bytes.count <= limits.maximumModuleSize else {
            throw .moduleTooLarge(path: path, limit: limits.maximumModuleSize)
        }
        // Said plainly before WasmKit's parser words it, since the usual mistake is another
        // kind of file (a JavaScript glue file, a text file) at the module's path.
        guard bytes.starts(with: [0x00, 0x61, 0x73, 0x6D]) else {
            throw .moduleInvalid(path: path, reason: "it does not start with WebAssembly's magic bytes (\\0asm)")
        }
        let module: Module
        do {
            module = try parseWasm(bytes: bytes)
        } catch {
            throw .moduleInvalid(path: path, reason: "\(error)")
        }
        guard module.imports.isEmpty else {
            let count = module.imports.count
            throw .notEdgeRouter(
                path: path, reason: "it needs \(count) import\(count == 1 ? "" : "s"), and the edge router needs none")
        }
        // Fuel metering is fixed when code is translated, so it is on for the whole engine.
        let engine = Engine(configuration: EngineConfiguration(fuelMetering: true))
        let store = Store(engine: engine)
        // Instantiation runs the module's start function, if it has one, so it is budgeted too.
        store.fuel = Fuel(remaining: limits.fuelPerCall)
        let instance: Instance
        do {
            instance = try module.instantiate(store: store)
        } catch {
            throw .notEdgeRouter(path: path, reason: "it cannot be instantiated: \(Self.firstLine(of: error))")
        }
        self.path = path
        self.limits = limits
        self.store = store
        self.exports = try EdgeExports.resolve(instance, path: path).get()
    }

    /// Loads a route plan (`RoutePlan`, as `diddy-mesh config plan` writes it) and answers the
    /// report: `{"errors", "warnings", "services", "rules", ..., "findings"}`.
    public func load(plan: [UInt8]) throws(EdgeHostError) -> [UInt8] {
        try callWithBytes("mesh_load", exports.load, plan, what: "route plan")
    }

    /// Routes one request in the field form (`RequestFields`) with `mesh_route` and answers
    /// its JSON: the members a Worker forwards with, most naming their rule and policy by a
    /// `ref` (``ref(_:)``).
    public func route(request: [UInt8]) throws(EdgeHostError) -> [UInt8] {
        try callWithBytes("mesh_route", exports.route, request, what: "request")
    }

    /// Routes one request (``route(request:)``); one the field form cannot carry is refused
    /// as the module refuses a request it cannot read, before the module is called.
    public func route(_ request: EdgeRequest) throws(EdgeHostError) -> [UInt8] {
        switch request.fields {
        case .success(let fields): return try route(request: fields)
        case .failure(let error): throw .refused(.badRequest, call: "mesh_route", message: error.message)
        }
    }

    /// What `ref` names, as `mesh_ref` answers it: `{"rule", "policy", "serviceFallback"}`,
    /// the same for every answer of the loaded config that carries it.
    public func ref(_ ref: Int32) throws(EdgeHostError) -> [UInt8] {
        let status = try call("mesh_ref", exports.ref, [.i32(UInt32(bitPattern: ref))], inputSize: 0, main: true)
        return try answer(status, call: "mesh_ref")
    }

    /// Whether the module takes live health (`mesh_set_health`); modules built before the
    /// ABI had it do not.
    public var takesHealth: Bool { exports.setHealth != nil }

    /// Gives every decision after it the registry's live data, written as `mesh_set_health`
    /// reads it (edge/README.md, "Live health": the tagged field form of `{"now",
    /// "staleAfterSeconds", "health", "registrations"}`). Answers `{"records", "ignored",
    /// "registrations"}`.
    public func setHealth(_ fields: [UInt8]) throws(EdgeHostError) -> [UInt8] {
        guard let setHealth = exports.setHealth else {
            throw .notEdgeRouter(
                path: path, reason: "it does not export 'mesh_set_health': it was built before the ABI took live health"
            )
        }
        return try callWithBytes("mesh_set_health", setHealth, fields, what: "health")
    }

    /// The report of the loaded config.
    public func report() throws(EdgeHostError) -> [UInt8] {
        let status = try call("mesh_report", exports.report, [], inputSize: 0, main: true)
        return try answer(status, call: "mesh_report")
    }

    /// Gives the loaded router fresh state: the next decision is the one `route --url` prints.
    public func reset() throws(EdgeHostError) {
        let status = try call("mesh_reset", exports.reset, [], inputSize: 0, main: true)
        _ = try answer(status, call: "mesh_reset")
    }

    // MARK: Calls

    /// Copies `bytes` into the module, calls `function` with their address and length, frees
    /// them, and answers what the call left in the output.
    private func callWithBytes(
        _ name: String, _ function: Function, _ bytes: [UInt8], what: String
    ) throws(EdgeHostError) -> [UInt8] {
        guard bytes.count <= limits.maximumInputSize else {
            throw .inputTooLarge(what: what, size: bytes.count, limit: limits.maximumInputSize)
        }
        // One byte at least, so that an empty input still has an address to pass.
        let address = try call("malloc", exports.malloc, [.i32(UInt32(max(bytes.count, 1)))], inputSize: 0)
        guard address != 0 else {
            throw .badAnswer(call: "malloc", reason: "it returned null for \(bytes.count) bytes (out of memory)")
        }
        let memory = exports.memory
        guard Int(address) + bytes.count <= memory.byteCount else {
            throw .badAnswer(
                call: "malloc",
                reason:
                    "it gave address \(address) for \(bytes.count) bytes, past the \(memory.byteCount) bytes of memory")
        }
        if !bytes.isEmpty {
            memory.withUnsafeMutableBufferPointer(offset: UInt(address), count: bytes.count) { buffer in
                buffer.copyBytes(from: bytes)
            }
        }
        let status: Result<UInt32, EdgeHostError>
        do {
            status = .success(
                try call(
                    name, function, [.i32(address), .i32(UInt32(bytes.count))], inputSize: bytes.count, main: true))
        } catch {
            status = .failure(error)
        }
        // The answer lives in memory of its own, so the input can be freed before it is read;
        // after a failed call the module is not called again, free included.
        if case .success = status {
            _ = try call("free", exports.free, [.i32(address)], inputSize: 0, results: 0)
        }
        return try answer(status.get(), call: name)
    }

    /// Calls `function` with a fresh fuel budget and answers its one `i32` result (0 for a
    /// function with none); `main` marks the call whose cost ``lastFuelSpent`` reports, not
    /// the allocator's or the output's.
    private func call(
        _ name: String, _ function: Function, _ arguments: [Value], inputSize: Int, results: Int = 1,
        main: Bool = false
    ) throws(EdgeHostError) -> UInt32 {
        if let failure { throw .unusable(after: failure) }
        let budget = limits.fuel(forInput: inputSize)
        store.fuel = Fuel(remaining: budget)
        let values: [Value]
        defer { if main { lastFuelSpent = budget - min(budget, store.fuel?.remaining ?? budget) } }
        do {
            values = try function.invoke(arguments)
        } catch {
            let reason = Self.firstLine(of: error)
            // WasmKit 0.4.2 keeps a trap's reason package-internal: its text is all a host
            // can read, and "out of fuel" is how it words a spent budget.
            let thrown: EdgeHostError =
                reason == "out of fuel" ? .outOfFuel(call: name, budget: budget) : .trapped(call: name, reason: reason)
            failure = thrown.description
            throw thrown
        }
        if results == 0, values.isEmpty { return 0 }
        guard values.count == 1, case .i32(let value) = values[0] else {
            throw .badAnswer(call: name, reason: "it returned \(values.count) values, not one i32")
        }
        return value
    }

    /// The answer of a call that returned `status`: its bytes on 0, else the refusal with
    /// the module's sentence.
    private func answer(_ status: UInt32, call name: String) throws(EdgeHostError) -> [UInt8] {
        let bytes = try output(of: name)
        let code = Int32(bitPattern: status)
        if code == EdgeStatus.ok.rawValue { return bytes }
        let message = ErrorAnswer.message(in: bytes) ?? "(no {\"error\": ...} answer)"
        guard let known = EdgeStatus(rawValue: code) else {
            throw .unknownStatus(code, call: name, message: message)
        }
        throw .refused(known, call: name, message: message)
    }

    /// A copy of the last answer, after checking that it lies inside the module's memory.
    private func output(of name: String) throws(EdgeHostError) -> [UInt8] {
        let start = try call("mesh_output_ptr", exports.outputPointer, [], inputSize: 0)
        let length = Int32(bitPattern: try call("mesh_output_len", exports.outputLength, [], inputSize: 0))
        guard length >= 0 else { throw .badAnswer(call: name, reason: "its length is negative (\(length))") }
        guard Int(length) <= limits.maximumAnswerSize else {
            throw .badAnswer(
                call: name, reason: "it is \(length) bytes long; the host reads at most \(limits.maximumAnswerSize)")
        }
        guard length > 0 else { return [] }
        let memory = exports.memory
        // Both are at most 2^32, so the sum cannot overflow a 64-bit Int.
        guard Int(start) + Int(length) <= memory.byteCount else {
            throw .badAnswer(
                call: name,
                reason: "it is \(length) bytes at address \(start), past the \(memory.byteCount) bytes of memory")
        }
        return memory.withUnsafeBufferPointer(offset: UInt(start), count: Int(length)) { Array($0) }
    }

    /// The first line of an error's text, without WasmKit's `Trap: ` prefix: the backtrace
    /// after it names the module's functions, which says nothing to a user.
    static func firstLine(of error: any Error) -> String {
        let text = "\(error)"
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(line.hasPrefix("Trap: ") ? line.dropFirst(6) : line[...])
    }
}

/// The store is confined to the thread that made it (WasmKit's `Store` is not `Sendable`),
/// and so is the host.
@available(*, unavailable)
extension EdgeRouterHost: Sendable {}
