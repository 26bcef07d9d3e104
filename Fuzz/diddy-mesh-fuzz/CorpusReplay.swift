import Foundation

/// Replays saved fuzz inputs (the committed corpus, crash reproducers) through the same
/// harness as the fuzzer, without libFuzzer: the regression test `make test` runs.
enum CorpusReplay {
    static let usage = """
        usage: diddy-mesh-fuzz [--print] PATH...
          Replays every file given, and every file inside each directory given, through the
          language server as the fuzz target does, and checks every message it writes.
          --print also prints every message the server writes, as it is written.
          diddy-mesh-fuzz --self-test checks that the message check rejects bad messages.
          Exit status: 0 all inputs passed, 1 some failed, 2 usage error or no input found.
          The fuzz build (scripts/fuzz.sh) takes libFuzzer's flags instead.
        """

    /// Replays the inputs under `arguments` and returns the exit status.
    static func run(arguments: [String]) -> Int32 {
        if arguments == ["--self-test"] {
            let failures = OracleSelfTest.run()
            for failure in failures { print("FAIL \(failure)") }
            print(
                "oracle self-test: \(OracleSelfTest.cases.count - failures.count) of \(OracleSelfTest.cases.count) "
                    + "cases as expected"
            )
            return failures.isEmpty ? 0 : 1
        }
        let echo = arguments.contains("--print")
        let arguments = arguments.filter { $0 != "--print" }
        if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return arguments.isEmpty ? 2 : 0
        }
        var files: [String] = []
        for argument in arguments {
            switch inputs(at: argument) {
            case .success(let found): files += found
            case .failure(let message):
                complain(message.description)
                return 2
            }
        }
        guard !files.isEmpty else {
            complain("no input files in \(arguments.joined(separator: " "))")
            return 2
        }
        var failed = 0
        let started = ContinuousClock.now
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("FAIL \(file): cannot be read")
                failed += 1
                continue
            }
            if echo { print("==   \(file)") }
            let outcome = FuzzHarness.run([UInt8](data), echo: echo)
            if let failure = outcome.failure {
                print("FAIL \(file): \(failure)")
                failed += 1
            } else {
                print("ok   \(file): status \(outcome.status), \(outcome.messageCount) messages")
            }
        }
        let elapsed = ContinuousClock.now - started
        print(
            "replayed \(files.count) inputs in "
                + "\(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))): "
                + "\(files.count - failed) ok, \(failed) failing"
        )
        return failed == 0 ? 0 : 1
    }

    /// The file itself, or the regular files directly inside a directory, sorted.
    private static func inputs(at path: String) -> Result<[String], Message> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Message("no such file or directory: \(path)"))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return .failure(Message("cannot list \(path)"))
        }
        let url = URL(fileURLWithPath: path)
        return .success(names.sorted().filter { !$0.hasPrefix(".") }.map { url.appendingPathComponent($0).path })
    }

    private static func complain(_ message: String) {
        FileHandle.standardError.write(Data("diddy-mesh-fuzz: \(message)\n".utf8))
    }

    /// A reason to stop, for the `Result` above.
    struct Message: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
