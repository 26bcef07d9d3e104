import MeshSyntax
import WireJSON

/// Push diagnostics: each version of a document is analysed off the actor when the
/// ``AnalysisThrottle`` says so, its static findings are published with the live ones
/// carried over from the previous version, and the live ones are then asked of the
/// registry on a task of their own, so a slow registry never holds up the next analysis.
extension ServerCore {
    /// Called by the text synchronisation handlers after a document changed.
    ///
    /// Requests still reading the old text are answered `ContentModified`; diagnostics for
    /// the new text follow as the throttle allows.
    func documentChanged(_ snapshot: DocumentSnapshot) {
        answerStaleRequests(uri: snapshot.uri)
        scheduleAnalysis(snapshot)
    }

    /// Called after `didClose`: stale requests are answered and the diagnostics cleared.
    func documentClosed(uri: String) {
        answerStaleRequests(uri: uri)
        throttle.closed(uri: uri)
        analysisTasks.removeValue(forKey: uri)?.cancel()
        liveTasks.removeValue(forKey: uri)?.cancel()
        liveDiagnostics.remove(uri: uri)
        sink.send(OutgoingMessage.notification(PublishDiagnostics.method, ["uri": .string(uri), "diagnostics": []]))
    }

    /// Publishes every open document again, after a change to the settings or to a
    /// wrangler config that may change what the registry says about it. The texts did not
    /// change, so requests reading them are left to finish.
    func refreshLiveDiagnostics() {
        for snapshot in documents.open.values {
            scheduleAnalysis(snapshot)
        }
    }

    private func scheduleAnalysis(_ snapshot: DocumentSnapshot) {
        if case .start(let delay) = throttle.changed(snapshot, now: .now) {
            startAnalysis(snapshot, after: delay)
        }
    }

    private func answerStaleRequests(uri: String) {
        for (id, entry) in inFlight.end(uri: uri) {
            entry.task?.cancel()
            sink.send(OutgoingMessage.error(id: id, .contentModified))
        }
    }

    private func startAnalysis(_ snapshot: DocumentSnapshot, after delay: Duration) {
        let (encoding, store) = (encoding, liveDiagnostics)
        analysisTasks[snapshot.uri] = Task.detached { [weak self] in
            if delay > .zero {
                do { try await Task.sleep(for: delay) } catch { return }
            }
            guard !Task.isCancelled else { return }
            // The analysis runs here, off the actor, so edits keep flowing meanwhile.
            let params = PublishDiagnostics.params(
                for: snapshot, live: store.current(for: snapshot).diagnostics, encoding: encoding)
            await self?.analysisFinished(snapshot, publishing: params)
        }
    }

    /// Publishes an analysis unless a newer version has replaced its text, then starts
    /// the next version's analysis or, for the latest version, its live diagnostics.
    private func analysisFinished(_ snapshot: DocumentSnapshot, publishing params: JSONValue) {
        let uri = snapshot.uri
        analysisTasks[uri] = nil
        let current = documents.open[uri] === snapshot
        if current { sink.send(OutgoingMessage.notification(PublishDiagnostics.method, params)) }
        if let (next, action) = throttle.finished(uri: uri, now: .now) {
            if case .start(let delay) = action { startAnalysis(next, after: delay) }
        } else if current {
            startLiveDiagnostics(snapshot)
        }
    }

    /// Asks the registry for `snapshot`'s live diagnostics, replacing an older request.
    private func startLiveDiagnostics(_ snapshot: DocumentSnapshot) {
        let (encoding, live) = (encoding, live)
        liveTasks[snapshot.uri]?.cancel()
        liveTasks[snapshot.uri] = Task.detached { [weak self] in
            let found = await LiveDiagnostics.compute(for: snapshot, live: live) ?? []
            guard !Task.isCancelled else { return }
            await self?.publishLive(found, for: snapshot, encoding: encoding)
        }
    }

    /// Records the live diagnostics of `snapshot` and publishes when they changed what
    /// the client shows, unless a newer version has replaced `snapshot` meanwhile.
    private func publishLive(_ found: [Diagnostic], for snapshot: DocumentSnapshot, encoding: PositionEncoding) {
        liveTasks[snapshot.uri] = nil
        guard documents.open[snapshot.uri] === snapshot, liveDiagnostics.update(found, for: snapshot) else { return }
        sink.send(
            OutgoingMessage.notification(
                PublishDiagnostics.method, PublishDiagnostics.params(for: snapshot, live: found, encoding: encoding)))
        if client.refreshesPulledDiagnostics {
            serverRequests += 1
            sink.send(
                OutgoingMessage.request(
                    id: .string("diddy-mesh/refresh-\(serverRequests)"), "workspace/diagnostic/refresh"))
        }
    }
}
