/// Why the host could not open the edge router or get an answer from it. Each case words
/// its problem as a sentence naming the module's path or the export that failed.
public enum EdgeHostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing at the module's path.
    case moduleMissing(path: String)
    /// Something at the path that cannot be read as a file: a folder, a FIFO, no permission.
    case moduleUnreadable(path: String, reason: String)
    /// A file over ``EdgeHostLimits/maximumModuleSize``.
    case moduleTooLarge(path: String, limit: Int)
    /// A file that is not a valid WebAssembly module (WasmKit's reason).
    case moduleInvalid(path: String, reason: String)
    /// A valid module that is not the edge router: it needs imports, lacks an export, or has
    /// one of another type.
    case notEdgeRouter(path: String, reason: String)
    /// An input over ``EdgeHostLimits/maximumInputSize``, not copied into the module.
    case inputTooLarge(what: String, size: Int, limit: Int)
    /// The export answered a status other than 0, with the module's sentence.
    case refused(EdgeStatus, call: String, message: String)
    /// The export answered a status the ABI does not define.
    case unknownStatus(Int32, call: String, message: String)
    /// The call spent its fuel budget (``EdgeHostLimits``): the module ran too long.
    case outOfFuel(call: String, budget: UInt64)
    /// The module trapped; the reason is WasmKit's.
    case trapped(call: String, reason: String)
    /// An answer the ABI does not allow: out of the module's memory, too long, or no status.
    case badAnswer(call: String, reason: String)
    /// An earlier call trapped or ran out of fuel, which leaves the module's memory in an
    /// unknown state, so it is not called again.
    case unusable(after: String)

    /// Whether the module itself is the problem (missing, unreadable, not WebAssembly, not the
    /// edge router), which building it again (`make wasm`) fixes.
    public var isModuleProblem: Bool {
        switch self {
        case .moduleMissing, .moduleUnreadable, .moduleTooLarge, .moduleInvalid, .notEdgeRouter: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .moduleMissing(let path):
            "no edge router module at '\(path)'"
        case .moduleUnreadable(let path, let reason):
            "cannot read the edge router module '\(path)': \(reason)"
        case .moduleTooLarge(let path, let limit):
            "the edge router module '\(path)' is larger than the \(Self.sizeText(limit)) limit"
        case .moduleInvalid(let path, let reason):
            "'\(path)' is not a valid WebAssembly module: \(reason)"
        case .notEdgeRouter(let path, let reason):
            "'\(path)' is not the edge router module: \(reason)"
        case .inputTooLarge(let what, let size, let limit):
            "the \(what) is \(size) bytes long; the host copies at most \(limit) into the module"
        case .refused(let status, let call, let message):
            "\(call) answered status \(status.rawValue) (\(status.summary)): \(message)"
        case .unknownStatus(let status, let call, let message):
            "\(call) answered status \(status), which the ABI does not define: \(message)"
        case .outOfFuel(let call, let budget):
            "\(call) ran past its budget of \(budget) fuel units (about one per WebAssembly instruction) and was "
                + "stopped"
        case .trapped(let call, let reason):
            "\(call) trapped: \(reason)"
        case .badAnswer(let call, let reason):
            "\(call) gave an answer the ABI does not allow: \(reason)"
        case .unusable(let after):
            "the module is not called again after an earlier failure: \(after)"
        }
    }

    /// `32 MiB` or `512 KiB`.
    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}
