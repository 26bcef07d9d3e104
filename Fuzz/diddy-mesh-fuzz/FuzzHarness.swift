import Dispatch
import Foundation
import MeshLanguageServer
import Synchronization

/// Runs the language server over one fuzz input and reports what went wrong, if anything.
///
/// Shared by libFuzzer's entry point and the corpus replay runner, so that a reproducer
/// saved by the fuzzer fails the same way under `swift build`'s plain binary.
enum FuzzHarness {
    /// What one run produced.
    struct Outcome: Sendable {
        /// The server's exit status.
        var status: Int32
        /// How many messages it wrote.
        var messageCount: Int
        /// Why the run is a failure, or nil.
        var failure: String?
    }

    /// Feeds `bytes` (control byte first, see ``FuzzInput``) to a fresh server, waits
    /// until it has finished (end of input, or `exit`), and checks what it wrote. With
    /// `echo`, every message the server writes is printed as well.
    static func run(_ bytes: some Collection<UInt8>, echo: Bool = false) -> Outcome {
        let input = FuzzInput(bytes)
        let configuration = ServerConfiguration(
            version: "0.0.0-fuzz",
            analysisInterval: input.throttled ? .milliseconds(1) : .zero,
            logToStandardError: false,
            // No API token or account from the fuzzer's environment: a fuzzed setting must
            // never turn into a request to a real registry.
            environment: [:])
        let sink = ValidatingSink(echo: echo)
        let status = waitFor {
            await LanguageServer(configuration: configuration).run(source: ChunkSource(input.chunks), sink: sink)
        }
        var failure = sink.violation
        if failure == nil, status != 0, status != 1 {
            failure = "the server ended with status \(status); only 0 (after shutdown) and 1 exist"
        }
        return Outcome(status: status, messageCount: sink.messageCount, failure: failure)
    }

    /// Blocks the calling thread (libFuzzer's, or the replay runner's main thread, neither of
    /// them a thread of Swift's cooperative pool) until `work` has finished on the pool.
    private static func waitFor(_ work: @escaping @Sendable () async -> Int32) -> Int32 {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Int32>(-1)
        Task.detached {
            let status = await work()
            result.withLock { $0 = status }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }
}

/// libFuzzer's entry point: one input, one server session.
///
/// A malformed outgoing message is a bug that no client would survive, so it stops the
/// process with `abort()`, which libFuzzer reports as a crash and saves the input for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = FuzzHarness.run(bytes).failure {
        FileHandle.standardError.write(Data("diddy-mesh-fuzz: \(failure)\n".utf8))
        // Deliberate, and only here: the fuzz target exists to turn a bad message into a
        // crash that libFuzzer reports and saves the input of.
        abort()
    }
    return 0
}
