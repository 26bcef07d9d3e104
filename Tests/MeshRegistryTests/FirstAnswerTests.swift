import Synchronization
import Testing

@testable import MeshRegistry

@Suite("first answer: one settle wins, every waiter gets it, losers are cleaned up")
struct FirstAnswerTests {
    @Test("the first settle wins and later ones change nothing")
    func firstWins() async {
        let first = FirstAnswer<Int>()
        #expect(first.value == nil)
        #expect(first.settle(1))
        #expect(!first.settle(2))
        #expect(first.value == 1)
        #expect(await first.wait() == 1)
    }

    @Test("every caller waiting before the settle is resumed with the same answer")
    func manyWaiters() async {
        let first = FirstAnswer<String>()
        let waiters = (0..<20).map { _ in Task { await first.wait() } }
        try? await Task.sleep(for: .milliseconds(20))
        first.settle("done")
        for waiter in waiters { #expect(await waiter.value == "done") }
    }

    @Test("cleanups run once, after the settle, and may settle again without deadlocking")
    func cleanups() {
        let first = FirstAnswer<Int>()
        let runs = Mutex(0)
        first.whenSettled {
            runs.withLock { $0 += 1 }
            // A cancelled transfer calls back into the race; the gate must be open by now.
            #expect(!first.settle(99))
        }
        #expect(runs.withLock { $0 } == 0)
        first.settle(7)
        #expect(runs.withLock { $0 } == 1)
        first.whenSettled { runs.withLock { $0 += 10 } }
        #expect(runs.withLock { $0 } == 11, "a cleanup added after the settle runs at once")
        #expect(first.value == 7)
    }

    @Test("a timer fires after its delay unless cancelled")
    func timer() async {
        let fired = FirstAnswer<Bool>()
        DeadlineTimer.after(.milliseconds(30)) { fired.settle(true) }
        let cancelled = Mutex(false)
        let stopped = DeadlineTimer.after(.milliseconds(10)) { cancelled.withLock { $0 = true } }
        stopped.cancel()
        let started = ContinuousClock.now
        #expect(await fired.wait())
        #expect(ContinuousClock.now - started >= .milliseconds(25))
        try? await Task.sleep(for: .milliseconds(30))
        #expect(!cancelled.withLock { $0 })
        #expect(DeadlineTimer.milliseconds(.seconds(2) + .milliseconds(5)) == 2005)
    }
}
