import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax
import Synchronization
import Testing

/// Helpers of the records, wrangler, locator and reader tests; in one namespace so they
/// cannot collide with the other registry suites' helpers.
enum RegistrySupport {
    /// The health record of docs/guide/registry.md's example.
    static func sampleRecord() -> HealthRecord {
        HealthRecord(
            service: "user-service", endpoint: "https://users.example.workers.dev", status: .healthy,
            checkedAt: 1_764_374_400_000,
            latencyMs: .init(last: 21.5, p50: 19.0, p95: 48.2, ewma: 22.1, samples: [19.0, 21.5, 48.2]),
            consecutiveSuccesses: 12, consecutiveFailures: 0, circuit: .init(), lastError: nil,
            checker: .init(host: "ci-runner-1"))
    }

    /// The typed model of a mesh config written as text.
    static func config(_ text: String) -> MeshConfig {
        MeshDocument.analyze(SourceText(text)).config
    }

    /// `mesh.registry` of a config whose `registry` object is `registry` (JSON text).
    static func settings(_ registry: String) -> RegistrySettings? {
        config(#"{"mesh": {"registry": \#(registry)}, "services": {}}"#).mesh.registry
    }

    /// The `Fixtures/wrangler` folder of the test bundle.
    static var wranglerFixtures: String {
        get throws {
            let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            return url.appendingPathComponent("wrangler").path
        }
    }

    /// A new empty directory under the system's temporary directory, whose parents hold no
    /// wrangler config (the bundle's own parents might).
    static func temporaryDirectory() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "diddy-mesh-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// A copy of fixture folder `name` (under `Fixtures/wrangler`) in a new temporary directory.
    static func copyOfFixture(_ name: String) throws -> String {
        let target = (try temporaryDirectory() as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: (try wranglerFixtures as NSString).appendingPathComponent(name), toPath: target)
        return target
    }

    /// Writes `text` to `directory/name`, creating folders.
    static func write(_ text: String, to name: String, in directory: String) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The error of a failed result, recording an issue when it succeeded.
    static func failure<Value>(
        _ result: Result<Value, RegistryError>, sourceLocation: SourceLocation = #_sourceLocation
    ) -> RegistryError? {
        switch result {
        case .success(let value):
            Issue.record("expected a failure, got \(value)", sourceLocation: sourceLocation)
            return nil
        case .failure(let error):
            return error
        }
    }

    /// A duration in milliseconds.
    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Elapsed milliseconds of `body`.
    static func elapsedMilliseconds<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        return (value, milliseconds(clock.now - start))
    }
}

/// A Dispatch timer armed when created, for comparing deadline measurements with what a
/// bare timer achieves in the same process at the same moment.
final class DispatchSignal: Sendable {
    private enum State {
        case armed([CheckedContinuation<Void, Never>])
        case fired
    }

    private let state = Mutex<State>(.armed([]))

    init(after duration: Duration) {
        let nanoseconds =
            Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            let waiting: [CheckedContinuation<Void, Never>] = state.withLock { state in
                guard case .armed(let waiting) = state else { return [] }
                state = .fired
                return waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    /// Milliseconds from `start` until a task waiting for the timer runs again.
    func observed(since start: ContinuousClock.Instant, on clock: ContinuousClock) async -> Double {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired: Bool = state.withLock { state in
                guard case .armed(let waiting) = state else { return true }
                state = .armed(waiting + [continuation])
                return false
            }
            if fired { continuation.resume() }
        }
        return RegistrySupport.milliseconds(clock.now - start)
    }
}

/// A settable clock in epoch seconds, shared by a reader and its test.
final class ReaderTestClock: Sendable {
    private let current: Mutex<Double>

    init(_ start: Double = 1_764_374_400) {
        current = Mutex(start)
    }

    var now: Double { current.withLock { $0 } }

    func advance(by seconds: Double) {
        current.withLock { $0 += seconds }
    }

    /// The clock as the reader's `now` closure.
    var closure: @Sendable () -> Double { { self.now } }
}
