import Foundation

#if FUZZING
    /// libFuzzer's driver, from the runtime that `-sanitize=fuzzer` links in.
    @_extern(c, "LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The fuzz build's entry point: hands the command line to libFuzzer.
    ///
    /// SwiftPM links every executable with `main` aliased to the module's entry point, so the
    /// target cannot simply leave `main` to libFuzzer; it calls libFuzzer's driver instead,
    /// which takes the same flags (`-max_total_time`, `-dict`, corpus directories...).
    @main
    enum FuzzMain {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            // A closure literal, not `fuzzOneInput` itself: referring to the `@_cdecl` function
            // as a C pointer would emit its C symbol a second time.
            exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
        }
    }
#else
    /// The plain build's entry point: the corpus regression runner.
    @main
    enum FuzzMain {
        static func main() {
            exit(CorpusReplay.run(arguments: Array(CommandLine.arguments.dropFirst())))
        }
    }
#endif
