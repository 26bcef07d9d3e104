/// The requests being answered off the actor, so that `$/cancelRequest` and edits can
/// answer them early.
///
/// Every request is answered exactly once: whoever removes its entry first (the handler
/// finishing, a cancellation, an edit) sends the answer, and the others find it gone.
final class InFlightRequests: Sendable {
    struct Entry: Sendable {
        /// The document the request reads, if any (edits to it make the request stale).
        let uri: String?
        /// The task computing the answer.
        var task: Task<Void, Never>?
    }

    private let entries = LockedValue<[RequestID: Entry]>([:])

    /// Registers a request; false when a request with the same id is still in flight.
    func begin(_ id: RequestID, uri: String?) -> Bool {
        entries.withLock { entries in
            guard entries[id] == nil else { return false }
            entries[id] = Entry(uri: uri, task: nil)
            return true
        }
    }

    /// Records the task answering `id`, unless it has already finished.
    func attach(_ task: Task<Void, Never>, to id: RequestID) {
        entries.withLock { entries in
            if entries[id] != nil { entries[id]?.task = task }
        }
    }

    /// Removes `id`; the caller that gets the entry back owns the answer.
    func end(_ id: RequestID) -> Entry? {
        entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Removes every request reading `uri`.
    func end(uri: String) -> [(RequestID, Entry)] {
        entries.withLock { entries in
            let stale = entries.filter { $0.value.uri == uri }
            for id in stale.keys { entries[id] = nil }
            return stale.map { ($0.key, $0.value) }
        }
    }

    /// The tasks still running, for a graceful end.
    var tasks: [Task<Void, Never>] {
        entries.withLock { $0.values.compactMap(\.task) }
    }

    /// The number of requests in flight.
    var count: Int { entries.withLock { $0.count } }
}
