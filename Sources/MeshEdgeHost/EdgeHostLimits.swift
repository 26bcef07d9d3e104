/// The bounds the host puts on a module it did not build itself: how much it reads, how
/// much it copies in and out, and how long a call may run.
///
/// WasmKit 0.4.2 has no wall-clock interruption: a call cannot be stopped from outside once
/// it runs. What it has is fuel (`EngineConfiguration.fuelMetering` and `Store.fuel`), about
/// one unit per WebAssembly operator executed, and a call that spends its budget traps with
/// "out of fuel". So each call's deadline is a fuel budget: ``fuelPerCall`` plus
/// ``fuelPerInputByte`` for every byte passed in, since analysing a config costs in
/// proportion to its length.
///
/// Measured on the edge router (release build, one core of the 2-core CI machine): loading the
/// shop example spends 9.7 million units (2,100 a byte), a decision 0.3 to 1 million, and the
/// costliest config per byte tried, 20,000 services of two endpoints, 15,700 a byte; real
/// code runs about 2 billion units a second. A loop that never returns runs about 350 million
/// a second, so a runaway call on a small input is stopped after about 1.5 seconds, and after
/// about 15 on a 100 kB config.
public struct EdgeHostLimits: Sendable, Equatable {
    /// The largest `.wasm` file read. The edge router is about 1.2 MB.
    public var maximumModuleSize = 32 << 20
    /// The largest input copied into the module's memory. The module refuses a config over
    /// 16 MiB and a request over 2 MiB itself (status 3), with its own message, so this only
    /// keeps a runaway input from being copied at all.
    public var maximumInputSize = 64 << 20
    /// The largest answer copied out of the module's memory. A report or a decision is a
    /// few kilobytes.
    public var maximumAnswerSize = 16 << 20
    /// The fuel of any call, whatever its input: fifty times a load of the shop example.
    public var fuelPerCall: UInt64 = 500_000_000
    /// The fuel added per byte of input: three times the costliest config measured.
    public var fuelPerInputByte: UInt64 = 50_000

    /// The defaults.
    public init() {}

    /// The budget of a call that passes `inputSize` bytes; it saturates rather than wraps.
    public func fuel(forInput inputSize: Int) -> UInt64 {
        let (perByte, overflow) = fuelPerInputByte.multipliedReportingOverflow(by: UInt64(max(0, inputSize)))
        let (total, sumOverflow) = fuelPerCall.addingReportingOverflow(perByte)
        return overflow || sumOverflow ? .max : total
    }
}
