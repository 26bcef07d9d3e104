/// When to analyse a document for push diagnostics: at once after a quiet spell, and
/// under a burst of edits at most once per `interval`, always on the latest text.
///
/// A fixed debounce would add its delay to every edit, including the single keystroke an
/// editor most often sends; a throttle costs nothing then. During a burst at most one
/// analysis per document runs or waits, and edits made meanwhile collapse into the
/// latest, so a flood of changes costs a bounded number of analyses.
struct AnalysisThrottle {
    /// What the server should do.
    enum Action: Equatable {
        /// Nothing now: the document is being analysed and the new version will follow.
        case wait
        /// Analyse this version after the delay.
        case start(after: Duration)
    }

    private struct Slot {
        /// An analysis is waiting or running.
        var busy = false
        /// The newest version that arrived while busy.
        var next: DocumentSnapshot?
        /// When the last analysis started (or will, after its delay).
        var lastStart: ContinuousClock.Instant?
    }

    /// The shortest time between the starts of two analyses of one document.
    let interval: Duration
    private var slots: [String: Slot] = [:]

    init(interval: Duration) {
        self.interval = interval
    }

    /// A new version of a document: start it, or keep it for when the current one is done.
    mutating func changed(_ snapshot: DocumentSnapshot, now: ContinuousClock.Instant) -> Action {
        var slot = slots[snapshot.uri] ?? Slot()
        defer { slots[snapshot.uri] = slot }
        if slot.busy {
            slot.next = snapshot
            return .wait
        }
        let earliest = slot.lastStart.map { $0 + interval } ?? now
        let delay = max(.zero, earliest - now)
        slot.busy = true
        slot.lastStart = now + delay
        return .start(after: delay)
    }

    /// The analysis of a document finished; returns the version to analyse next, if one
    /// arrived meanwhile, with its action.
    mutating func finished(uri: String, now: ContinuousClock.Instant) -> (DocumentSnapshot, Action)? {
        guard var slot = slots[uri] else { return nil }
        slot.busy = false
        let next = slot.next
        slot.next = nil
        slots[uri] = slot
        guard let next else { return nil }
        return (next, changed(next, now: now))
    }

    /// Whether a newer version than the one being analysed is waiting.
    func hasNext(uri: String) -> Bool {
        slots[uri]?.next != nil
    }

    /// Forgets a closed document.
    mutating func closed(uri: String) {
        slots.removeValue(forKey: uri)
    }
}
