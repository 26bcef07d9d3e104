import Foundation
import MeshRegistry
import Synchronization

/// A recording fake of the prober's HTTP client: it answers from a script per URL (the last answer repeats), for
/// state-machine tests that need no network.
public final class ScriptedProbeClient: ProbeHTTPClient {
    private let script: Mutex<[String: [ProbeHTTPResult]]>
    private let requests = Mutex(0)

    public init(_ script: [String: [ProbeHTTPResult]]) {
        self.script = Mutex(script)
    }

    public func get(_ url: URL, timeoutMs: Int) async -> ProbeHTTPResult {
        requests.withLock { $0 += 1 }
        return script.withLock { script in
            let key = script.keys.first { url.absoluteString.hasPrefix($0) } ?? ""
            guard var answers = script[key], let first = answers.first else {
                return .failure(HealthRecord.ProbeFailure(kind: .connect, message: "not scripted"), elapsedMs: 0)
            }
            if answers.count > 1 { answers.removeFirst() }
            script[key] = answers
            return first
        }
    }

    public var requestCount: Int { requests.withLock { $0 } }
}
