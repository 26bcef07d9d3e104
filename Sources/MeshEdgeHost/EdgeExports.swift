import WasmKit

/// The exports of the edge router that the host calls (edge/README.md, "The ABI"), each
/// found by name and checked against its type once, when the module is opened, so that a
/// module built from another ABI is refused with every difference named instead of trapping
/// on its first call. Exports the host does not know are ignored: a newer module may add some.
struct EdgeExports {
    let memory: Memory
    let load: Function
    let route: Function
    let ref: Function
    let report: Function
    let reset: Function
    let outputPointer: Function
    let outputLength: Function
    let malloc: Function
    let free: Function
    /// `mesh_set_health`, which modules built before the ABI took live health lack.
    let setHealth: Function?

    /// `(i32, i32) -> i32`, `() -> i32`, `(i32) -> i32` and the allocator's two types.
    private static let bytesCall = FunctionType(parameters: [.i32, .i32], results: [.i32])
    private static let plainCall = FunctionType(parameters: [], results: [.i32])
    private static let refCall = FunctionType(parameters: [.i32], results: [.i32])
    private static let allocate = FunctionType(parameters: [.i32], results: [.i32])
    private static let release = FunctionType(parameters: [.i32], results: [])

    /// The functions and their types, in the order edge/README.md lists them.
    static let functions: [(name: String, type: FunctionType)] = [
        ("mesh_load", bytesCall), ("mesh_route", bytesCall), ("mesh_ref", refCall), ("mesh_report", plainCall),
        ("mesh_reset", plainCall), ("mesh_output_ptr", plainCall), ("mesh_output_len", plainCall),
        ("malloc", allocate), ("free", release),
    ]

    /// Exports a module may lack, checked for their type when it has them.
    static let optionalFunctions: [(name: String, type: FunctionType)] = [("mesh_set_health", bytesCall)]

    /// The exports of `instance`, or every way it differs from the ABI.
    static func resolve(_ instance: Instance, path: String) -> Result<EdgeExports, EdgeHostError> {
        var problems: [String] = []
        var found: [String: Function] = [:]
        for (name, type) in functions {
            switch instance.export(name) {
            case .function(let function)?:
                if function.type == type {
                    found[name] = function
                } else {
                    problems.append("'\(name)' is \(describe(function.type)), not \(describe(type))")
                }
            case nil:
                problems.append("it does not export '\(name)'")
            case .some:
                problems.append("'\(name)' is not a function")
            }
        }
        for (name, type) in optionalFunctions {
            switch instance.export(name) {
            case .function(let function)? where function.type == type: found[name] = function
            case .function(let function)?:
                problems.append("'\(name)' is \(describe(function.type)), not \(describe(type))")
            case nil: break
            case .some: problems.append("'\(name)' is not a function")
            }
        }
        let memory: Memory?
        if case .memory(let exported)? = instance.export("memory") {
            memory = exported
        } else {
            memory = nil
            problems.append("it does not export its 'memory'")
        }
        guard problems.isEmpty, let memory, let load = found["mesh_load"], let route = found["mesh_route"],
            let ref = found["mesh_ref"],
            let report = found["mesh_report"], let reset = found["mesh_reset"],
            let outputPointer = found["mesh_output_ptr"], let outputLength = found["mesh_output_len"],
            let malloc = found["malloc"], let free = found["free"]
        else {
            return .failure(.notEdgeRouter(path: path, reason: problems.joined(separator: "; ")))
        }
        return .success(
            EdgeExports(
                memory: memory, load: load, route: route, ref: ref, report: report, reset: reset,
                outputPointer: outputPointer, outputLength: outputLength, malloc: malloc, free: free,
                setHealth: found["mesh_set_health"]))
    }

    /// `(i32, i32) -> i32`, as edge/README.md writes a signature.
    static func describe(_ type: FunctionType) -> String {
        let parameters = type.parameters.map { "\($0)" }.joined(separator: ", ")
        let results = type.results.map { "\($0)" }.joined(separator: ", ")
        return "(\(parameters)) -> " + (type.results.count == 1 ? results : "(\(results))")
    }
}
